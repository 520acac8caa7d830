namespace Runner.Modules.Common;

/// <summary>
/// Controller-side staging of generated content, as Ansible's action plugins do: the bytes go to
/// $HOME/.ansible/tmp/runner-&lt;random&gt;/source, whose path is the copy result's "src" and the diff's
/// after_header. <see cref="Dispose"/> removes the folder.
/// </summary>
internal sealed class Staging : IDisposable
{
    private readonly string _dir;

    /// <summary>Writes <paramref name="content"/> to a fresh staging folder.</summary>
    public Staging(byte[] content)
    {
        var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : System.IO.Path.GetTempPath();
        _dir = System.IO.Path.Combine(home, ".ansible", "tmp", $"runner-{Guid.NewGuid():N}"[..22]);
        try
        {
            Directory.CreateDirectory(_dir);
            Path = System.IO.Path.Combine(_dir, "source");
            File.WriteAllBytes(Path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"runner-{Guid.NewGuid():N}"[..22]);
            Directory.CreateDirectory(_dir);
            Path = System.IO.Path.Combine(_dir, "source");
            File.WriteAllBytes(Path, content);
        }
    }

    /// <summary>The staged file.</summary>
    public string Path { get; }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
