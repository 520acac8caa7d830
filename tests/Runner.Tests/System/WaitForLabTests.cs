using Runner.Modules;
using Runner.Tests.Modules;
using static Runner.Tests.SystemModules.NspawnLab;

namespace Runner.Tests.SystemModules;

/// <summary>wait_for over SSH on the booted host: a port that is open, a file that appears later, timeouts; nothing changes.</summary>
[Collection("nspawn")]
public class WaitForLabTests
{
    [NspawnTheory]
    [MemberData(nameof(HostKinds), MemberType = typeof(NspawnLab))]
    public async Task Wait_for_sees_sshd_and_a_file_that_appears_and_times_out_otherwise(string kind)
    {
        await using var c = Connect(kind);
        var path = "/tmp/port-rest-wait-" + Unique();
        try
        {
            var ssh = await Run(c, new WaitForModule(), D.Of("port", 22L, "timeout", 5L));
            Assert.Equal(false, ssh["changed"]); Assert.Equal(22L, ssh["port"]);

            await c.ExecAsync($"(sleep 2; echo ready > {path}) >/dev/null 2>&1 &");
            var file = await Run(c, new WaitForModule(), D.Of("path", path, "search_regex", "rea+dy", "timeout", 20L));
            Assert.Equal(false, file["changed"]);
            Assert.True((long)file["elapsed"]! >= 1, $"elapsed {file["elapsed"]}");
            Assert.Equal("ready", await Sh(c, $"cat {path}"));

            await c.ExecAsync($"rm -f {path}");
            var gone = await Run(c, new WaitForModule(), D.Of("path", path, "timeout", 1L));
            Assert.Equal(true, gone["failed"]); Assert.Equal($"Timeout when waiting for file {path}", gone["msg"]);

            var closed = await Run(c, new WaitForModule(), D.Of("port", 1L, "timeout", 1L, "connect_timeout", 1L));
            Assert.Equal("Timeout when waiting for 127.0.0.1:1", closed["msg"]);
        }
        finally { await c.ExecAsync($"rm -f {path}"); }
    }
}
