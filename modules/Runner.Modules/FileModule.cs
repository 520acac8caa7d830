using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.file (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/file_module.html):
/// states file (attributes of an existing file only), directory (like mkdir -p; mode/owner applied to every
/// folder it creates, as Ansible does), touch, absent (recursive), link, hard; default state is the path's
/// current state, else "file". Diff (in --diff mode): {"before": {"path", "state"?, "mode"?}, "after": {...}}.
/// Results carry path (or dest), state, mode "0644", uid, gid, owner, group, size.
/// </summary>
public sealed class FileModule : PlanningModule
{
    public override string Name => "file";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("path", OptionType.Path, Required: true, Aliases: new[] { "dest", "name" }),
        new("state", Choices: new[] { "absent", "directory", "file", "hard", "link", "touch" }),
        new("src", OptionType.Path), new("recurse", OptionType.Bool, Default: false), new("force", OptionType.Bool, Default: false),
        new("follow", OptionType.Bool, Default: true), new("modification_time"), new("modification_time_format", Default: "%Y%m%d%H%M.%S"),
        new("access_time"), new("access_time_format", Default: "%Y%m%d%H%M.%S"), new("_original_basename"), new("_diff_peek", OptionType.Bool),
    }.Concat(FileAttrs.Options).ToArray())
    {
        // the file module's internal parameters (its argument_spec in modules/file.py)
        Invocation = new(Internal: new Dictionary<string, object?> { ["_diff_peek"] = null, ["_original_basename"] = null }),
    };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var path = a.Str("path")!;
        var follow = a.Bool("follow", true);
        var stat = new FileStatFact(path);
        // removing a folder lists what it held (for the diff) in the same round trip
        if (a.Str("state") == "absent") await ctx.Facts.GetAsync(ct, stat, new DirectoryTreeFact(path));
        var prev = await ctx.Facts.GetAsync(stat, ct);
        var prevState = StateOf(prev);
        var state = a.Str("state") ?? (prevState != "absent" ? prevState : a.Bool("recurse") ? "directory" : "file");
        if (a.Has("src") && state is not ("link" or "hard"))
            return Plan.Fail("src option requires state to be 'link' or 'hard'", new Dict { ["path"] = path });
        if (a.Bool("recurse") && state != "directory")
            return Plan.Fail("recurse option requires state to be 'directory'", new Dict { ["path"] = path });

        var before = new Dict { ["path"] = path };
        var after = new Dict { ["path"] = path };
        if (prevState != state) { before["state"] = prevState; after["state"] = state; }

        var plan = state switch
        {
            "absent" => await AbsentAsync(ctx, prev, before, ct),
            "directory" => await FileStates.DirectoryAsync(ctx, prev, prevState, before, after, ct),
            "touch" => FileStates.Touch(ctx, prev, before, after),
            "link" or "hard" => await FileLinks.LinkAsync(ctx, prev, prevState, state == "hard", before, after, ct),
            _ => await FileStates.FileAsync(ctx, prev, prevState, follow, before, after, ct),
        };
        // the attribute steps add to before/after as the chain unfolds: the diff goes with its last plan
        return PlanChain.DiffAtEnd(plan, new Dict { ["before"] = before, ["after"] = after });
    }

    /// <summary>Ansible's get_state: absent, link, directory, hard (a file with several links) or file.</summary>
    internal static string StateOf(FileState st) => st.Type switch
    {
        "absent" => "absent",
        "link" => "link",
        "directory" => "directory",
        _ => st.Nlink > 1 ? "hard" : "file",
    };

    private static async Task<Plan> AbsentAsync(PlanContext ctx, FileState prev, Dict before, CancellationToken ct)
    {
        var result = new Dict { ["path"] = prev.Path, ["state"] = "absent" };
        if (!prev.Exists) return Plan.Ok(result);
        if (prev.Type == "directory")
        {
            // Ansible lists what the tree held: {"directories": [...], "files": [...]}.
            var tree = await ctx.Facts.GetAsync(new DirectoryTreeFact(prev.Path), ct);
            before["path_content"] = new Dict
            {
                ["directories"] = tree.Directories.Select(x => (object?)x).ToList(),
                ["files"] = tree.Files.Select(x => (object?)x).ToList(),
            };
        }
        return new Plan { Result = result }.Add(new RunStep(Argv.Of("rm", "-rf", "--", prev.Path)) { FailMessage = "rmtree failed: {stderr}" });
    }
}
