using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.tempfile (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/tempfile_module.html):
/// creates a file (mode 0600) or a directory (0700) named PREFIX + 8 random characters + SUFFIX in `path` (default:
/// the target's $TMPDIR, else /tmp) with coreutils mktemp, as Python's mkstemp/mkdtemp. Always changed; result
/// {"changed": true, "path"} and, as every Ansible result with a path, its uid, gid, owner, group, mode, state, size. Ansible's module does not support check mode, so the engine skips it there
/// (ModuleSpec.SupportsCheckMode false). A failure gives Python's OSError text: "[Errno 2] No such file or directory:
/// 'DIR/PREFIXXXXXXXXXSUFFIX'" (the template in place of the random name).
/// </summary>
public sealed class TempfileModule : PlanningModule
{
    public override string Name => "tempfile";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("state", Default: "file", Choices: new[] { "file", "directory" }), new("path", OptionType.Path),
        new("prefix", Default: "ansible."), new("suffix", Default: ""),
    }, SupportsCheckMode: false);

    private static readonly Dictionary<string, string> Errnos = new(StringComparer.Ordinal)
    {
        ["No such file or directory"] = "[Errno 2]", ["Permission denied"] = "[Errno 13]", ["Not a directory"] = "[Errno 20]",
        ["Read-only file system"] = "[Errno 30]", ["No space left on device"] = "[Errno 28]",
    };

    public override Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var template = a.Str("prefix") + "XXXXXXXX";
        var dir = a.Str("path");
        var mktemp = Argv.Of("mktemp").AddIf(a.Str("state") == "directory", "-d")
            .Add(dir is null ? "--tmpdir" : "--tmpdir=" + dir).Add("--suffix=" + a.Str("suffix"), "--", template);
        var step = new RunStep(mktemp) { OnFailure = r => Plan.Fail(Message(r.Stderr, dir, template + a.Str("suffix"))) };
        return Task.FromResult(new Plan
        {
            Then = async (outcomes, t) =>
            {
                if (outcomes[0].Result is not { } r) return Plan.Ok();
                var result = new Dict();
                FileAttrs.Describe(result, await ctx.Facts.GetAsync(new FileStatFact(r.Stdout.TrimEnd('\n')), t));
                return Plan.Ok(result);
            },
        }.Add(step));
    }

    /// <summary>mktemp's "failed to create file via template 'T': REASON" as Python's "[Errno N] REASON: 'PATH'".</summary>
    private static string Message(string stderr, string? dir, string name)
    {
        var reason = stderr.Trim().Split(": ").Last();
        var path = Path.Combine(dir ?? "/tmp", name);
        return Errnos.TryGetValue(reason, out var errno) ? $"{errno} {reason}: '{path}'" : stderr.Trim();
    }
}
