using System.Text;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.copy (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/copy_module.html):
/// content (a dict/list is written as json.dumps, other non-strings as Python str) or src (a controller file
/// found in files/ and the search folders; a folder is copied recursively, its contents only when src ends
/// with "/"; remote_src=yes reads src on the target) to dest, with force, backup, validate, mode/owner/group
/// (mode=preserve copies the source file's mode).
/// <para>content is not no_log here: Ansible's copy action takes it off the module's arguments and censors it only in
/// the invocation (which Runner does not report); its diff shows the content.</para>
/// </summary>
public sealed class CopyModule : PlanningModule
{
    public override string Name => "copy";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("src", OptionType.Path), new("content", OptionType.Raw), new("remote_src", OptionType.Bool, Default: false),
        new("local_follow", OptionType.Bool, Default: true), new("decrypt", OptionType.Bool, Default: true), new("checksum"), new("_original_basename"),
    }.Concat(ContentWriter.Options).Concat(FileAttrs.Options).ToArray()) { SupportsAsync = false };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var dest = a.Str("dest")!;
        var hasContent = a.ContainsKey("content");
        if (hasContent && a.Has("src")) return Plan.Fail("src and content are mutually exclusive");
        if (hasContent)
        {
            if (dest.EndsWith('/')) return Plan.Fail("can not use content with a dir as dest");
            return await ContentWriter.PlanAsync(ctx, dest, ContentBytes(a.Get("content")), null, ct);
        }
        var src = a.Str("src");
        if (src is null) return Plan.Fail("src (or content) is required");
        var preserve = a.Str("mode") == "preserve";
        if (a.Bool("remote_src"))
        {
            var source = new FileStatFact(src, follow: true);
            var read = new FileContentFact(src);
            await ctx.Facts.GetAsync(ct, source, read);
            if (preserve && await ctx.Facts.GetAsync(source, ct) is { Exists: true } srcState) a["mode"] = Convert.ToString(srcState.Mode, 8).PadLeft(4, '0');
            var bytes = await ctx.Facts.GetAsync(read, ct);
            if (bytes is null) return Plan.Fail($"Source {src} not found");
            return await ContentWriter.PlanAsync(ctx, dest, bytes, Path.GetFileName(src), ct);
        }
        var local = ctx.FindFile(src, "files");
        if (local is null) return Plan.Fail($"Could not find or access '{src}' on the Ansible Controller.");
        // mode=preserve gives dest the source file's permission bits.
        if (preserve && File.Exists(local)) a["mode"] = Convert.ToString((int)File.GetUnixFileMode(local) & 0xFFF, 8).PadLeft(4, '0');
        if (Directory.Exists(local)) return await CopyTreeAsync(ctx, local, src.EndsWith('/') ? dest : JoinPath(dest, Path.GetFileName(local.TrimEnd('/'))), ct);
        return await ContentWriter.PlanAsync(ctx, dest, await File.ReadAllBytesAsync(local, ct), Path.GetFileName(local), ct, local);
    }

    /// <summary>The bytes copy writes for a `content` value (Ansible's copy action: json.dumps for dict/list).</summary>
    internal static byte[] ContentBytes(object? content) => Encoding.UTF8.GetBytes(content switch
    {
        string s => s,
        Dict or List<object?> => AsciiJson(PyStr.JsonDumps(content)),
        _ => PyStr.Str(content),
    });

    /// <summary>json.dumps' default ensure_ascii=True: non-ASCII characters as \uXXXX escapes.</summary>
    private static string AsciiJson(string json)
    {
        var sb = new StringBuilder(json.Length);
        foreach (var c in json) { if (c > 0x7E && c != 0x7F) sb.Append($"\\u{(int)c:x4}"); else sb.Append(c); }
        return sb.ToString();
    }

    private static string JoinPath(string dir, string name) => dir.TrimEnd('/') + "/" + name;

    /// <summary>
    /// Copies a controller folder's files below dest: missing folders first (one mkdir -p), then each file as
    /// <see cref="ContentWriter"/> plans it, in order; changed when anything changed. The result is only dest (with a
    /// trailing slash), as before; a file's failure is the task's.
    /// </summary>
    private static async Task<Plan> CopyTreeAsync(PlanContext ctx, string local, string dest, CancellationToken ct)
    {
        var files = Directory.GetFiles(local, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Local: f, Target: JoinPath(dest, Path.GetRelativePath(local, f)))).ToList();
        var dirs = Directory.GetDirectories(local, "*", SearchOption.AllDirectories).Select(d => JoinPath(dest, Path.GetRelativePath(local, d))).Prepend(dest).ToList();
        var dirFacts = dirs.Select(d => new FileStatFact(d, follow: true)).ToList();
        // every folder and file in one round trip; the files' plans below read them from the cache
        await ctx.Facts.GetAsync(ct, dirFacts.Concat(files.Select(f => (Fact)new FileStatFact(f.Target, ctx.Args.Bool("follow"), "sha1"))).ToArray());
        var plan = new Plan { Result = new Dict { ["dest"] = dest.TrimEnd('/') + "/" } };
        foreach (var d in dirFacts)
            if ((await ctx.Facts.GetAsync(d, ct)).Type != "directory")
            {
                plan.Add(new RunStep(Argv.Of("mkdir", "-p", "--").Add(dirs)) { Creates = new Planned.File(dest) });
                break;
            }
        var filePlans = new List<Plan>();
        foreach (var (f, target) in files) filePlans.Add(await ContentWriter.PlanAsync(ctx, target, await File.ReadAllBytesAsync(f, ct), null, ct, f));
        Func<CancellationToken, Task<Plan>> next = _ => Task.FromResult(Plan.Ok());
        for (var i = filePlans.Count - 1; i >= 0; i--)
        {
            var (p, rest) = (filePlans[i], next);
            next = _ => Task.FromResult(Quiet(p, rest));
        }
        var first = next;
        plan.Then = (_, t) => first(t);
        return plan;
    }

    /// <summary><paramref name="p"/>'s chain with its fields and diffs dropped (a failure kept), continued by <paramref name="next"/>.</summary>
    private static Plan Quiet(Plan p, Func<CancellationToken, Task<Plan>> next) => PlanChain.Append(PlanChain.Map(p, x =>
    {
        if (x.Failure is not null) return x;
        x.Result.Clear();
        x.Diff = null;
        x.DiffAsList = false;
        x.CheckModeResult = null;
        return x;
    }), next);
}
