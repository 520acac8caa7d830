using System.Text;
using Runner.Engine.Connections;

namespace Runner.Tests.Lab;

/// <summary>The persistent shell of <see cref="SshConnection"/> against the lab's sshd hosts (tests/lab/up.sh).</summary>
public class SshShellLabTests
{
    [LabFact]
    public async Task Commands_share_one_shell_yet_keep_exit_codes_streams_and_state_apart()
    {
        await using var c = LabEnvironment.Connect(LabEnvironment.First);
        var a = await c.ExecAsync("echo $PPID; printf 'no newline'; echo err >&2; cd /; export X=1; exit 7");
        var b = await c.ExecAsync("echo $PPID; pwd; echo \"x=${X:-unset}\"");
        Assert.Equal(7, a.ExitCode);
        var parent = a.Stdout.Split('\n')[0];
        Assert.Equal(parent + "\nno newline", a.Stdout);
        Assert.Equal("err\n", a.Stderr);
        Assert.Equal(0, b.ExitCode);
        var lines = b.Stdout.Split('\n');
        Assert.Equal(parent, lines[0]); // the same parent shell ran both
        Assert.NotEqual("/", lines[1]); // cd and export stayed in the first command
        Assert.Equal("x=unset", lines[2]);
        Assert.Equal("", b.Stderr);
    }

    [LabFact]
    public async Task Large_output_and_stdin_round_trip_exactly_on_both_sides_of_the_1_MiB_limit()
    {
        await using var c = LabEnvironment.Connect(LabEnvironment.First);
        var big = await c.ExecAsync("head -c 300000 /dev/zero | tr '\\0' 'a'; echo; head -c 100000 /dev/zero | tr '\\0' 'b' >&2");
        Assert.Equal(300001, big.Stdout.Length);
        Assert.Equal(100000, big.Stderr.Length);
        foreach (var size in new[] { 5, SshShell.MaxStdin, SshShell.MaxStdin + 1 })
        {
            var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("line of text\n", size / 13 + 1)))[..size];
            var r = await c.ExecAsync("wc -c; echo done", new ExecOptions(Stdin: data));
            Assert.Equal($"{size}\ndone\n", r.Stdout);
        }
    }

    [LabFact]
    public async Task Binary_files_of_every_byte_and_over_the_limit_put_and_get_unchanged()
    {
        await using var c = LabEnvironment.Connect(LabEnvironment.First);
        var path = $"/tmp/runner-shell-test-{Guid.NewGuid():N}";
        try
        {
            var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
            await c.PutFileAsync(bytes, path);
            Assert.Equal(bytes, await c.GetFileAsync(path));
            var large = new byte[SshShell.MaxStdin + 10];
            new Random(5).NextBytes(large);
            await c.PutFileAsync(large, path);
            Assert.Equal(large, await c.GetFileAsync(path));
            Assert.Null(await c.GetFileAsync("/tmp")); // a folder is not a file
        }
        finally { await c.ExecAsync($"rm -f {path}"); }
    }

    [LabFact]
    public async Task Timeouts_still_stop_the_command_and_the_shell_works_after_a_cancel()
    {
        await using var c = LabEnvironment.Connect(LabEnvironment.First);
        var t = await c.ExecAsync("sleep 5", new ExecOptions(Timeout: TimeSpan.FromMilliseconds(300)));
        Assert.Equal(124, t.ExitCode);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => c.ExecAsync("sleep 5", ct: cts.Token));
        Assert.Equal("after\n", (await c.ExecAsync("echo after")).Stdout);
    }
}
