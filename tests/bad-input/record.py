#!/usr/bin/env python3
"""Records ansible-playbook's exit code for every case of cases.yml into ansible-exit-codes.json."""
import json, os, subprocess, sys, tempfile, yaml

here = os.path.dirname(os.path.abspath(__file__))
cases = yaml.safe_load(open(os.path.join(here, "cases.yml")))
codes = {}
for case in cases:
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "hosts"), "w") as f:
            f.write("localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n")
        for name, text in (case.get("files") or {}).items():
            os.makedirs(os.path.dirname(os.path.join(d, name)) or d, exist_ok=True)
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        r = subprocess.run(["ansible-playbook"] + case["args"], cwd=d, capture_output=True, text=True,
                           env=dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0"))
        codes[case["name"]] = r.returncode
        print(f"{r.returncode:4} {case['name']}", file=sys.stderr)
version = subprocess.run(["ansible", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
with open(os.path.join(here, "ansible-exit-codes.json"), "w") as f:
    json.dump({"ansible": version, "exit_codes": codes}, f, indent=2, sort_keys=True)
    f.write("\n")
