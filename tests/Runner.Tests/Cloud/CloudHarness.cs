using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Common;

namespace Runner.Tests.Cloud;

/// <summary>
/// Runs a cloud module as the engine does (ArgumentValidator, then RunAsync) with a task environment (the
/// fakes' endpoints, test credentials, HOME pointing at an empty temp folder so no real ~/.aws or ~/.kube is read).
/// </summary>
public sealed class CloudHarness : IDisposable
{
    static CloudHarness() => CloudRetry.BaseDelay = TimeSpan.FromMilliseconds(5);

    public CloudHarness()
    {
        Dir = Path.Combine(Path.GetTempPath(), "runner-cloudtest-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Dir);
        Env["HOME"] = Dir;
    }

    public string Dir { get; }
    public Dictionary<string, string> Env { get; } = new();
    public Dictionary<string, object?> Vars { get; } = new();

    public Task<Dict> Run(IModule module, Dict args, bool check = false, bool diff = false) =>
        module.RunAsync(Context(module, args, check, diff), CancellationToken.None);

    /// <summary>The context <see cref="Run"/> gives the module: validated arguments, a local connection, this environment.</summary>
    public ModuleContext Context(IModule module, Dict args, bool check = false, bool diff = false) => new()
    {
        Connection = new LocalConnection("localhost"), Args = ArgumentValidator.Validate(module.Spec, args, module.Name), CheckMode = check, DiffMode = diff,
        Templar = new Templar(), Variables = new DictionaryScope(Vars, new[] { Dir }), Host = "localhost",
        SearchPaths = new[] { Dir }, Exec = new ExecOptions(Environment: Env),
    };

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
