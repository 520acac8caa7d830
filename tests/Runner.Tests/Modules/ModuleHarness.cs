using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Templating;
using Runner.Engine.Values;

namespace Runner.Tests.Modules;

/// <summary>
/// Runs a module the way the engine does (ArgumentValidator, then RunAsync) against a LocalConnection,
/// in a fresh temp folder that is deleted afterwards.
/// </summary>
public sealed class ModuleHarness : IDisposable
{
    public ModuleHarness()
    {
        Dir = Path.Combine(Path.GetTempPath(), "runner-modtest-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Dir);
    }

    /// <summary>The temp folder (also the search folder for relative src).</summary>
    public string Dir { get; }

    public Dictionary<string, object?> Vars { get; } = new();

    public string P(string name) => Path.Combine(Dir, name);

    public Task<Dict> Run(IModule module, Dict args, bool check = false, bool diff = false)
    {
        var validated = ArgumentValidator.Validate(module.Spec, args, module.Name);
        var ctx = new ModuleContext
        {
            Connection = new LocalConnection("localhost"),
            Args = validated,
            CheckMode = check,
            DiffMode = diff,
            Templar = new Templar(),
            Variables = new DictionaryScope(Vars, new[] { Dir }),
            Host = "localhost",
            SearchPaths = new[] { Dir },
        };
        return module.RunAsync(ctx, CancellationToken.None);
    }

    /// <summary>Permission bits of a path, as an octal string like "644".</summary>
    public static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path) & 0xFFF, 8);

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Small Dict literal helper for tests: D("k", v, "k2", v2).</summary>
public static class D
{
    public static Dict Of(params object?[] kv)
    {
        var d = new Dict();
        for (var i = 0; i < kv.Length; i += 2) d[(string)kv[i]!] = kv[i + 1];
        return d;
    }
}
