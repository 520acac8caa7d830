using System.Net.Sockets;
using System.Text;
using Runner.Engine.Connections;

namespace Runner.Tests.Lab;

/// <summary>
/// SshConnection as an <see cref="IPortForwarder"/>: a forward to the lab host's own sshd (its address as the host
/// sees it) answers with that sshd's banner on 127.0.0.1:PORT, and the port stops listening once the handle is disposed.
/// </summary>
public sealed class SshPortForwardTests
{
    [LabFact]
    public async Task Forward_reaches_the_remote_port_and_closes_on_dispose()
    {
        var host = LabEnvironment.First;
        await using var conn = LabEnvironment.Connect(host);
        var fwd = await ((IPortForwarder)conn).ForwardAsync(host.Vars.Get("ansible_host")!.ToString()!, 22);
        Assert.Equal("127.0.0.1", fwd.LocalEndPoint.Address.ToString());
        Assert.NotEqual(0, fwd.LocalEndPoint.Port);
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(fwd.LocalEndPoint);
            var buf = new byte[64];
            var n = await tcp.GetStream().ReadAsync(buf).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.StartsWith("SSH-2.0-OpenSSH", Encoding.ASCII.GetString(buf, 0, n));
        }
        await fwd.DisposeAsync();
        using var after = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => after.ConnectAsync(fwd.LocalEndPoint));
    }
}
