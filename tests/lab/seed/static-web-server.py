#!/usr/bin/env python3
"""Lab stand-in for static-web-server (the real binary cannot be downloaded here).

Takes the flags the seed's unit passes (--host, --port, --root, --http2-tls-cert, --http2-tls-key; the others are
accepted and ignored) and serves the root folder over HTTPS, plus /health, as the real server does."""
import argparse, http.server, os, ssl, sys

p = argparse.ArgumentParser()
p.add_argument("--host", default="0.0.0.0")
p.add_argument("--port", type=int, default=80)
p.add_argument("--root", default=".")
p.add_argument("--log-level", default="info")
p.add_argument("--http2", action="store_true")
p.add_argument("--http2-tls-cert")
p.add_argument("--http2-tls-key")
p.add_argument("--compression", action="store_true")
p.add_argument("--health", action="store_true")
p.add_argument("--experimental-metrics", action="store_true")
p.add_argument("--version", "-V", action="store_true")
a = p.parse_args()
if a.version:
    print("static-web-server 2.28.0 (runner lab stand-in)")
    sys.exit(0)

class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kw):
        super().__init__(*args, directory=os.path.abspath(a.root), **kw)
    def do_GET(self):
        if a.health and self.path == "/health":
            self.send_response(200); self.end_headers(); self.wfile.write(b"OK"); return
        return super().do_GET()

srv = http.server.ThreadingHTTPServer((a.host, a.port), Handler)
if a.http2_tls_cert:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.http2_tls_cert, a.http2_tls_key)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.serve_forever()
