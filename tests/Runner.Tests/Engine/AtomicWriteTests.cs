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
    private string[] Journal() => Directory.Exists(Path.Combine(_dir, "home/.runner/inflight"))
        ? Directory.GetFiles(Path.Combine(_dir, "home/.runner/inflight")) : Array.Empty<string>();

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
        Assert.False(Directory.Exists(Path.Combine(_dir, "home/.runner")), "a finished write leaves no journal folder");
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
        var journal = Path.Combine(_dir, "home/.runner/inflight");
        Directory.CreateDirectory(journal);
        var dead = Path.Combine(_dir, AtomicWrite.TempPrefix + "deadwriter");
        var live = Path.Combine(_dir, AtomicWrite.TempPrefix + "livewriter");
        await File.WriteAllTextAsync(dead, "partial");
        await File.WriteAllTextAsync(live, "in progress");
        var gone = (await _c.ExecAsync("sh -c 'echo $$'")).Stdout.Trim(); // a process that has exited
        await File.WriteAllTextAsync(Path.Combine(journal, $"{gone}.deadwriter"), dead + "\n");
        await File.WriteAllTextAsync(Path.Combine(journal, $"{Environment.ProcessId}.livewriter"), live + "\n");

        await _c.PutFileAsync("x"u8.ToArray(), Path.Combine(_dir, "other"), new ExecOptions(Environment: _home));

        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
        Assert.Equal(new[] { $"{Environment.ProcessId}.livewriter" }, Journal().Select(Path.GetFileName));
    }
}
