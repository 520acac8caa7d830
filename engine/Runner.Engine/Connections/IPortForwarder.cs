using System.Net;

namespace Runner.Engine.Connections;

/// <summary>
/// A connection that can forward a local TCP port to an address as the target host sees it, like
/// <c>ssh -L 127.0.0.1:0:REMOTEHOST:REMOTEPORT</c> (OpenSSH ssh(1) -L; RFC 4254 section 7.2, "direct-tcpip" channels).
/// Used by controller-side modules (k8s) to reach a service only the node can reach, with nothing installed on the node.
/// </summary>
public interface IPortForwarder
{
    /// <summary>
    /// Opens a forward: connections to the returned <see cref="IPortForward.LocalEndPoint"/> (127.0.0.1 and a free port
    /// on the controller) are carried over the connection and opened by the target host to
    /// <paramref name="remoteHost"/>:<paramref name="remotePort"/> (a name resolved by the target, or an address).
    /// Dispose the handle to close the listener. Errors: <see cref="UnreachableException"/> when the connection
    /// cannot be opened; a failure to connect on the remote side shows up per connection (it is closed at once).
    /// </summary>
    Task<IPortForward> ForwardAsync(string remoteHost, int remotePort, CancellationToken ct = default);
}

/// <summary>An open port forward; disposing it stops listening and closes its channels.</summary>
public interface IPortForward : IAsyncDisposable
{
    /// <summary>The controller-side listening address (127.0.0.1, the bound port).</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>The destination as the target host sees it (host, port).</summary>
    (string Host, int Port) Remote { get; }
}
