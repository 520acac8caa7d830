using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.file (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/file_module.html):
/// states file (attributes of an existing file only), directory (like mkdir -p; mode/owner applied to every
/// folder it creates, as Ansible does), touch, absent (recursive), link, hard; default state is the path's
/// current state, else "file". Diff (in --diff mode): {"before": {"path", "state"?, "mode"?}, "after": {...}}.
/// Results carry path (or dest), state, mode "0644", uid, gid, owner, group, size.
/// </summary>
public sealed class FileModule : IModule
{
    public string Name => "file";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("path", OptionType.Path, Required: true, Aliases: new[] { "dest", "name" }),
        new("state", Choices: new[] { "absent", "directory", "file", "hard", "link", "touch" }),
        new("src", OptionType.Path), new("recurse", OptionType.Bool, Default: false), new("force", OptionType.Bool, Default: false),
        new("follow", OptionType.Bool, Default: true), new("modification_time"), new("modification_time_format", Default: "%Y%m%d%H%M.%S"),
        new("access_time"), new("access_time_format", Default: "%Y%m%d%H%M.%S"), new("_original_basename"), new("_diff_peek", OptionType.Bool),
    }.Concat(FileAttrs.Options).ToArray());

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var path = a.Str("path")!;
        var follow = a.Bool("follow", true);
        var prev = await FileProbe.ProbeAsync(ctx, path, follow: false, checksum: false, ct);
        var prevState = StateOf(prev);
        var state = a.Str("state") ?? (prevState != "absent" ? prevState : a.Bool("recurse") ? "directory" : "file");
        if (a.Has("src") && state is not ("link" or "hard"))
            return Results.Fail("src option requires state to be 'link' or 'hard'", new Dict { ["path"] = path });
        if (a.Bool("recurse") && state != "directory")
            return Results.Fail("recurse option requires state to be 'directory'", new Dict { ["path"] = path });

        var before = new Dict { ["path"] = path };
        var after = new Dict { ["path"] = path };
        if (prevState != state) { before["state"] = prevState; after["state"] = state; }

        Dict r = state switch
        {
            "absent" => await AbsentAsync(ctx, prev, before, ct),
            "directory" => await FileStates.DirectoryAsync(ctx, prev, prevState, before, after, ct),
            "touch" => await FileStates.TouchAsync(ctx, prev, before, after, ct),
            "link" or "hard" => await FileLinks.LinkAsync(ctx, prev, prevState, state == "hard", before, after, ct),
            _ => await FileStates.FileAsync(ctx, prev, prevState, follow, before, after, ct),
        };
        if (ctx.DiffMode && !Results.IsFailed(r)) r["diff"] = new Dict { ["before"] = before, ["after"] = after };
        return r;
    }

    /// <summary>Ansible's get_state: absent, link, directory, hard (a file with several links) or file.</summary>
    internal static string StateOf(FileState st) => st.Type switch
    {
        "absent" => "absent",
        "link" => "link",
        "directory" => "directory",
        _ => st.Nlink > 1 ? "hard" : "file",
    };

    private static async Task<Dict> AbsentAsync(ModuleContext ctx, FileState prev, Dict before, CancellationToken ct)
    {
        if (!prev.Exists) return new Dict { ["path"] = prev.Path, ["changed"] = false, ["state"] = "absent" };
        if (ctx.DiffMode && prev.Type == "directory")
        {
            // Ansible lists what the tree held: {"directories": [...], "files": [...]}.
            var q = ShellQuote.Quote(prev.Path);
            var l = await ctx.ShAsync($"find {q} -mindepth 1 -type d -printf 'd%p\\n'; find {q} -mindepth 1 ! -type d -printf 'f%p\\n'", ct);
            var lines = l.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            before["path_content"] = new Dict
            {
                ["directories"] = lines.Where(x => x[0] == 'd').Select(x => (object?)x[1..]).ToList(),
                ["files"] = lines.Where(x => x[0] == 'f').Select(x => (object?)x[1..]).ToList(),
            };
        }
        if (!ctx.CheckMode)
        {
            var r = await ctx.ShAsync($"rm -rf -- {ShellQuote.Quote(prev.Path)}", ct);
            if (r.ExitCode != 0) return Results.Fail($"rmtree failed: {r.Stderr.Trim()}", new Dict { ["path"] = prev.Path });
        }
        return new Dict { ["path"] = prev.Path, ["changed"] = true, ["state"] = "absent" };
    }
}
