using System.Text;
using Runner.Engine.Connections;

namespace Runner.Tests.Engine;

/// <summary>
/// AtomicWrite's script run locally (LocalConnection): the destination is always the old file or the new one, the
/// temp file never outlives a failure, and a killed writer's temp file is removed by the next write's cleanup.
/// </summary>
public sealed class AtomicWriteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-atomic-").FullName;
    private readonly LocalConnection _c = new("localhost");
    private readonly Dictionary<string, string> _home;

    public AtomicWriteTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "home"));
        _home = new() { ["HOME"] = Path.Combine(_dir, "home") };
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Temps() => Directory.GetFiles(_dir, AtomicWrite.TempPrefix + "*");
    private string[] Journal() => Directory.GetFiles(Path.Combine(_dir, "home"), AtomicWrite.JournalPrefix + "*");

    [Fact]
    public async Task Replaces_the_file_keeping_its_mode_and_leaves_no_temp_or_journal_entry()
    {
        var f = Path.Combine(_dir, "f.conf");
        await File.WriteAllTextAsync(f, "old\n");
        File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        await _c.PutFileAsync("new\n"u8.ToArray(), f, new ExecOptions(Environment: _home));
        Assert.Equal("new\n", await File.ReadAllTextAsync(f));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(f));
        Assert.Empty(Temps());
        Assert.Empty(Journal());
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_dir, "home")));
    }

    [Fact]
    public async Task A_new_file_gets_0644_minus_the_umask()
    {
        var f = Path.Combine(_dir, "new.txt");
        await _c.PutFileAsync(new byte[] { 0, 1, 2, 255 }, f, new ExecOptions(Environment: _home));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, await File.ReadAllBytesAsync(f));
        var umask = (await _c.ExecAsync("umask")).Stdout.Trim();
        var expected = Convert.ToInt32("644", 8) & ~Convert.ToInt32(umask, 8);
        Assert.Equal(expected, (int)File.GetUnixFileMode(f));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(700_000)]
    public async Task Truncated_content_leaves_the_old_file_and_no_temp(int cut)
    {
        var f = Path.Combine(_dir, "data.bin");
        var old = Encoding.ASCII.GetBytes(new string('o', 900_000));
        await File.WriteAllBytesAsync(f, old);
        File.SetUnixFileMode(f, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var content = Encoding.ASCII.GetBytes(new string('n', 1_000_000));
        // The script expects all of content; only its first `cut` bytes arrive (a dropped connection).
        var r = await _c.ExecAsync(AtomicWrite.Script(f, content, cleanupFirst: false),
            new ExecOptions(Stdin: content[..cut], Environment: _home));
        Assert.Equal(6, r.ExitCode);
        Assert.Contains("incomplete", r.Stderr);
        Assert.Equal(old, await File.ReadAllBytesAsync(f));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f));
        Assert.Empty(Temps());
        Assert.Empty(Journal());
        var e = Assert.Throws<IOException>(() => AtomicWrite.Check(r, f, "root"));
        Assert.Contains("the old file is untouched", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public async Task Same_size_but_different_bytes_fail_the_checksum()
    {
        var f = Path.Combine(_dir, "c.txt");
        var r = await _c.ExecAsync(AtomicWrite.Script(f, "abcd"u8.ToArray(), cleanupFirst: false),
            new ExecOptions(Stdin: "abce"u8.ToArray(), Environment: _home));
        Assert.Equal(6, r.ExitCode);
        Assert.False(File.Exists(f));
        Assert.Empty(Temps());
    }

    [Fact]
    public async Task A_missing_folder_is_DirectoryNotFound()
    {
        var e = await Assert.ThrowsAsync<DirectoryNotFoundException>(() =>
            _c.PutFileAsync("x"u8.ToArray(), Path.Combine(_dir, "no/such/f"), new ExecOptions(Environment: _home)));
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public async Task The_first_write_removes_temp_files_of_a_killed_writer_but_not_of_a_live_one()
    {
        var home = Path.Combine(_dir, "home");
        var legacy = Directory.CreateDirectory(Path.Combine(home, ".runner/inflight")).FullName; // older Runner versions' journal
        var dead = Path.Combine(_dir, AtomicWrite.TempPrefix + "deadwriter");
        var deadLegacy = Path.Combine(_dir, AtomicWrite.TempPrefix + "deadlegacy");
        var live = Path.Combine(_dir, AtomicWrite.TempPrefix + "livewriter");
        foreach (var t in new[] { dead, deadLegacy, live }) await File.WriteAllTextAsync(t, "partial");
        var gone = (await _c.ExecAsync("sh -c 'echo $$'")).Stdout.Trim(); // a process that has exited
        await File.WriteAllTextAsync(Path.Combine(home, $"{AtomicWrite.JournalPrefix}{gone}.deadwriter"), dead + "\n");
        await File.WriteAllTextAsync(Path.Combine(legacy, $"{gone}.deadlegacy"), deadLegacy + "\n");
        await File.WriteAllTextAsync(Path.Combine(home, $"{AtomicWrite.JournalPrefix}{Environment.ProcessId}.livewriter"), live + "\n");

        await _c.PutFileAsync("x"u8.ToArray(), Path.Combine(_dir, "other"), new ExecOptions(Environment: _home));

        Assert.False(File.Exists(dead));
        Assert.False(File.Exists(deadLegacy));
        Assert.True(File.Exists(live));
        Assert.Equal(new[] { $"{AtomicWrite.JournalPrefix}{Environment.ProcessId}.livewriter" }, Journal().Select(Path.GetFileName));
        Assert.False(Directory.Exists(Path.Combine(home, ".runner")), "the emptied legacy journal folder is removed");
    }

    [Fact]
    public async Task The_temp_file_is_made_with_mode_0600_and_never_over_an_existing_file()
    {
        var f = Path.Combine(_dir, "secret.txt");
        // the script's temp name is fixed once made: a file (or symlink) already at that name makes the write fail
        var script = AtomicWrite.Script(f, "s3cret\n"u8.ToArray(), cleanupFirst: false);
        var temp = System.Text.RegularExpressions.Regex.Match(script, @"\.runner-tmp\.[A-Za-z0-9]{10}").Value;
        var victim = Path.Combine(_dir, "victim");
        await File.WriteAllTextAsync(victim, "keep\n");
        File.CreateSymbolicLink(Path.Combine(_dir, temp), victim);
        var r = await _c.ExecAsync(script, new ExecOptions(Stdin: "s3cret\n"u8.ToArray(), Environment: _home));
        Assert.Equal(4, r.ExitCode);
        Assert.Equal("keep\n", await File.ReadAllTextAsync(victim));
        Assert.False(File.Exists(f));
        File.Delete(Path.Combine(_dir, temp));

        // while the content arrives, the temp file is readable by its owner only
        var watch = AtomicWrite.Script(f, "s3cret\n"u8.ToArray(), cleanupFirst: false)
            .Replace("cat > \"$t\" || fail 5", "stat -c %a \"$t\" >&2; cat > \"$t\" || fail 5");
        r = await _c.ExecAsync(watch, new ExecOptions(Stdin: "s3cret\n"u8.ToArray(), Environment: _home));
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("600", r.Stderr.Trim());
        Assert.Equal("s3cret\n", await File.ReadAllTextAsync(f));
    }
}
