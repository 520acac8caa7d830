using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.assemble (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/assemble_module.html):
/// concatenates the regular files of the folder `src` in name order (on the target, or with remote_src=false on the
/// controller, found as copy finds files) into `dest`: names must match `regexp` (re.search) and, with ignore_hidden,
/// not start with '.'; a newline is added after a fragment without one, and `delimiter` (backslash escapes decoded,
/// newline-terminated) goes between fragments. `dest` is written (atomically, after `validate`, with `backup`) only
/// when its sha1 differs; mode/owner/group as the file options (<see cref="PlannedAttrs"/>). Result: src, dest,
/// checksum, md5sum (of the assembled text), msg "OK", backup_file, validation {rc, stdout, stderr} and dest's path
/// info (uid, gid, owner, group, mode, state, size); remote_src=false reports as Ansible's copy (src: the staged file)
/// and always gives a diff, also when nothing changes (Ansible's action compares a checksum of the temp file's name). Ansible's action refuses check mode, so the task is skipped there ("check mode is not supported
/// for this task."). Failures as Ansible's: "Source (SRC) does not exist", "Source (SRC) is not a directory",
/// "Invalid Regexp (ERR) in \"RE\"", "validate must contain %s: CMD", "failed to validate: rc:N error:ERR".
/// </summary>
public sealed class AssembleModule : PlanningModule
{
    public override string Name => "assemble";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("src", OptionType.Path, Required: true), new("dest", OptionType.Path, Required: true), new("delimiter"),
        new("backup", OptionType.Bool, Default: false), new("remote_src", OptionType.Bool, Default: true), new("regexp"),
        new("ignore_hidden", OptionType.Bool, Default: false), new("validate"), new("decrypt", OptionType.Bool, Default: true),
    }.Concat(FileAttrs.Options).ToArray(), SupportsCheckMode: false)
    { CheckModeSkipMessage = "check mode is not supported for this task.", SupportsAsync = false };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var (src, dest) = (a.Str("src")!, a.Str("dest")!);
        var remote = a.Bool("remote_src", true);
        Regex? re = null;
        if (a.Str("regexp") is { } rx && (re = PyRegex.Compile(rx, RegexOptions.None, out var rxError)) is null)
            return Plan.Fail($"Invalid Regexp ({rxError}) in \"{rx}\"");
        bool Wanted(string name) => (re is null || re.IsMatch(name)) && !(a.Bool("ignore_hidden") && name.StartsWith('.'));

        var destStat = new FileStatFact(dest, follow: true, checksum: "sha1");
        var fragments = new List<byte[]>();
        if (remote)
        {
            var srcStat = new FileStatFact(src, follow: true);
            var tree = new WalkTreeFact(src, 1, follow: false);
            await ctx.Facts.GetAsync(ct, srcStat, tree, destStat);
            if (!(await ctx.Facts.GetAsync(srcStat, ct)).Exists) return Plan.Fail($"Source ({src}) does not exist");
            if (await ctx.Facts.GetAsync(tree, ct) is not { } entries) return Plan.Fail($"Source ({src}) is not a directory");
            if (a.Str("validate") is { } v && !v.Contains("%s")) return Plan.Fail($"validate must contain %s: {v}");
            // a fragment is a regular file or a symlink to one (os.path.isfile); FileContentFact is null for anything else
            var reads = entries.Where(e => !e.DirLike).Select(e => Path.GetFileName(e.Stat.Path)).Where(Wanted)
                .OrderBy(n => n, StringComparer.Ordinal).Select(n => new FileContentFact(Path.Combine(src, n))).ToList();
            await ctx.Facts.GetAsync(ct, reads.ToArray<Fact>());
            foreach (var read in reads)
                if (await ctx.Facts.GetAsync(read, ct) is { } bytes) fragments.Add(bytes);
        }
        else
        {
            var local = ctx.FindFile(src, "files");
            if (local is null) return Plan.Fail($"Could not find or access '{src}' on the Ansible Controller.");
            if (!Directory.Exists(local)) return Plan.Fail($"Source ({local}) is not a directory");
            foreach (var file in Directory.GetFileSystemEntries(local).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal))
                if (Wanted(file!) && File.Exists(Path.Combine(local, file!))) fragments.Add(await File.ReadAllBytesAsync(Path.Combine(local, file!), ct));
            await ctx.Facts.GetAsync(ct, destStat);
        }

        var content = Join(fragments, a.Str("delimiter"));
        var sha = Hashes.Sha1(content);
        var st = await ctx.Facts.GetAsync(destStat, ct);
        var plan = new Plan();
        var reported = new Dict { ["src"] = src, ["dest"] = dest, ["checksum"] = sha, ["md5sum"] = Hashes.Md5(content) };
        RunStep? validation = null;
        string? backup = null;
        if (!remote)
        {
            // Ansible's action compares the sha1 of the temp file's *name* (checksum_s), so it always diffs and copies
            using var staging = new Staging(content);
            reported["src"] = staging.Path;
            var before = st.Type == "file" ? await ctx.Facts.GetAsync(new FileContentFact(dest), ct) : null;
            plan.Diff = TextDiff.Build(before, dest, content, staging.Path);
        }
        if (st.Sha1 != sha)
        {
            if (a.Bool("backup") && st.Exists)
            {
                (var copy, backup) = Backup.Of(dest);
                plan.Add(copy);
            }
            if (PlannedWrite.Steps(dest, content, a.Str("validate"), out var error) is not { } steps) return Plan.Fail(error!);
            validation = steps.Count > 1 ? (RunStep)steps[1] : null;
            foreach (var s in steps) plan.Add(s);
        }
        var attrs = PlannedAttrs.For(a, dest, st);
        if (attrs.Error is not null) return Plan.Fail(attrs.Error);
        foreach (var s in attrs.Steps) plan.Add(s);
        plan.Then = async (outcomes, t) =>
        {
            var result = new Dict(reported);
            if (remote) result["msg"] = "OK";
            if (backup is not null) result["backup_file"] = backup;
            if (outcomes.FirstOrDefault(o => ReferenceEquals(o.Step, validation))?.Result is { } v)
                result["validation"] = new Dict { ["rc"] = (long)v.ExitCode, ["stdout"] = v.Stdout, ["stderr"] = v.Stderr };
            FileAttrs.Describe(result, await ctx.Facts.GetAsync(new FileStatFact(dest, follow: true), t), "dest");
            return Plan.Ok(result);
        };
        return plan;
    }

    /// <summary>The fragments joined as assemble_from_fragments does.</summary>
    private static byte[] Join(List<byte[]> fragments, string? delimiter)
    {
        var output = new MemoryStream();
        var delim = delimiter is { Length: > 0 } ? Unescape(delimiter) : null;
        for (var i = 0; i < fragments.Count; i++)
        {
            if (i > 0)
            {
                if (fragments[i - 1] is not [.., (byte)'\n']) output.WriteByte((byte)'\n');
                if (delim is not null)
                {
                    output.Write(delim);
                    if (delim[^1] != '\n') output.WriteByte((byte)'\n');
                }
            }
            output.Write(fragments[i]);
        }
        return output.ToArray();
    }

    /// <summary>Python's codecs.escape_decode: \n, \t, \\, \xHH, octal escapes in the UTF-8 bytes of the text.</summary>
    private static byte[] Unescape(string text)
    {
        var b = Encoding.UTF8.GetBytes(text);
        var o = new List<byte>();
        for (var i = 0; i < b.Length; i++)
        {
            if (b[i] != '\\' || i + 1 == b.Length) { o.Add(b[i]); continue; }
            var c = (char)b[++i];
            switch (c)
            {
                case 'n': o.Add(10); break;
                case 't': o.Add(9); break;
                case 'r': o.Add(13); break;
                case 'a': o.Add(7); break;
                case 'b': o.Add(8); break;
                case 'f': o.Add(12); break;
                case 'v': o.Add(11); break;
                case '\\': o.Add((byte)'\\'); break;
                case '\'': o.Add((byte)'\''); break;
                case '"': o.Add((byte)'"'); break;
                case '\n': break;
                case 'x' when i + 2 < b.Length && Uri.IsHexDigit((char)b[i + 1]) && Uri.IsHexDigit((char)b[i + 2]):
                    o.Add(Convert.ToByte(Encoding.ASCII.GetString(b, i + 1, 2), 16)); i += 2; break;
                case >= '0' and <= '7':
                    var n = 0; var k = 0;
                    for (; k < 3 && i + k < b.Length && b[i + k] is >= (byte)'0' and <= (byte)'7'; k++) n = n * 8 + (b[i + k] - '0');
                    o.Add((byte)n); i += k - 1; break;
                default: o.Add((byte)'\\'); o.Add(b[i]); break;
            }
        }
        return o.ToArray();
    }
}
