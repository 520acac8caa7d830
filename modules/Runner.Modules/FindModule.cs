using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.find (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/find_module.html): the
/// entries under `paths` whose base names match `patterns` (fnmatch, or with use_regex Python regexes matching from
/// the start) and none of `excludes`, of `file_type`, at least (or, negative, at most) `age` old by `age_stamp` and
/// `size` big, whose lines match `contains`. Hidden names are skipped unless `hidden` (their folders are still walked,
/// as Ansible does); `recurse` descends (to `depth` levels); `follow` descends into symlinked folders. Entries come in
/// os.walk's order (a folder's files, then its folders, then each folder's tree). Result {"changed": false, "files":
/// [{path, mode "0644", isdir, ischr, isblk, isreg, isfifo, islnk, issock, uid, gid, size, inode, dev, nlink, atime,
/// mtime, ctime, gr_name, pw_name, wusr..xoth, isuid, isgid, checksum (get_checksum, regular files)}], "matched",
/// "examined" (entries looked at, hidden and too deep ones included), "msg": "All paths examined", "skipped_paths"}.
/// A path that is not a folder is skipped with a warning and msg "Not all paths examined, check warnings for details".
/// Never changes anything, so check mode reads the same. Bad age/size: "failed to process age" / "failed to process size".
/// </summary>
public sealed class FindModule : PlanningModule
{
    public override string Name => "find";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("paths", OptionType.List, Required: true, Aliases: new[] { "name", "path" }, Elements: OptionType.Str),
        new OptionSpec("patterns", OptionType.List, Default: new List<object?>(), Aliases: new[] { "pattern" }, Elements: OptionType.Str),
        new OptionSpec("excludes", OptionType.List, Aliases: new[] { "exclude" }, Elements: OptionType.Str),
        new OptionSpec("contains"), new OptionSpec("read_whole_file", OptionType.Bool, Default: false),
        new OptionSpec("file_type", Default: "file", Choices: new[] { "any", "directory", "file", "link" }),
        new OptionSpec("age"), new OptionSpec("age_stamp", Default: "mtime", Choices: new[] { "atime", "ctime", "mtime" }),
        new OptionSpec("size"), new OptionSpec("recurse", OptionType.Bool, Default: false),
        new OptionSpec("hidden", OptionType.Bool, Default: false), new OptionSpec("follow", OptionType.Bool, Default: false),
        new OptionSpec("get_checksum", OptionType.Bool, Default: false), new OptionSpec("use_regex", OptionType.Bool, Default: false),
        new OptionSpec("depth", OptionType.Int)) with
    {
        // find.py replaces empty patterns with the match-all one before it walks, so its invocation shows that
        Invocation = new(Rewrite: args =>
        {
            if (args.GetValueOrDefault("patterns") is List<object?> { Count: > 0 }) return;
            args["patterns"] = new List<object?> { Data.Truthy(args.GetValueOrDefault("use_regex")) ? ".*" : "*" };
        }),
    };

    private static readonly Dictionary<string, long> Seconds = new() { ["s"] = 1, ["m"] = 60, ["h"] = 3600, ["d"] = 86400, ["w"] = 604800 };
    private static readonly Dictionary<string, long> Bytes = new() { ["b"] = 1, ["k"] = 1L << 10, ["m"] = 1L << 20, ["g"] = 1L << 30, ["t"] = 1L << 40 };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var useRegex = a.Bool("use_regex");
        var patterns = a.StrList("patterns") is { Count: > 0 } p ? p : new List<string> { useRegex ? ".*" : "*" };
        var excludes = a.StrList("excludes");
        long? age = null, size = null;
        if (a.Str("age") is { } ageText && (age = Scaled(ageText, "smhdw", Seconds)) is null)
            return Plan.Fail("failed to process age", new Dict { ["age"] = ageText });
        if (a.Str("size") is { } sizeText && (size = Scaled(sizeText, "bkmgt", Bytes)) is null)
            return Plan.Fail("failed to process size", new Dict { ["size"] = sizeText });
        Func<string, bool> matches;
        if (useRegex)
        {
            var inc = new List<Regex>();
            var exc = new List<Regex>();
            foreach (var (list, into) in new[] { (patterns, inc), (excludes, exc) })
                foreach (var pattern in list)
                {
                    if (PyRegex.Compile(pattern, RegexOptions.None, out var err) is not { } re) return Plan.Fail($"Invalid regular expression {pattern}: {err}");
                    into.Add(re);
                }
            matches = name => inc.Any(r => StartsMatch(r, name)) && !exc.Any(r => StartsMatch(r, name));
        }
        else matches = name => patterns.Any(x => FnMatch.IsMatch(name, x)) && !excludes.Any(x => FnMatch.IsMatch(name, x));
        Regex? contains = null;
        if (a.Str("contains") is { } c && (contains = PyRegex.Compile(c, RegexOptions.None, out var cerr)) is null)
            return Plan.Fail($"Invalid regular expression {c}: {cerr}");

        var recurse = a.Bool("recurse");
        var depth = a.Get("depth") is long d && d != 0 ? (int?)d : null;
        var follow = a.Bool("follow");
        var paths = a.StrList("paths");
        // one level more than `depth`: os.walk lists (examines) the entries of the deepest folders it walks
        var trees = paths.Select(path => new WalkTreeFact(path, !recurse ? 1 : depth + 1, follow)).ToArray();
        await ctx.Facts.GetAsync(ct, trees);

        var fileType = a.Str("file_type");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var stamp = a.Str("age_stamp");
        bool OldEnough(FileState st)
        {
            if (age is null) return true;
            var t = stamp == "atime" ? st.Atime : stamp == "ctime" ? st.Ctime : st.Mtime;
            return age >= 0 ? now - t >= age.Value : now - t <= -age.Value;
        }
        bool BigEnough(FileState st) => size is null || (size >= 0 ? st.Size >= size : st.Size <= -size);

        var picked = new List<FileState>();
        var skipped = new Dict();
        var plan = new Plan();
        long examined = 0;
        for (var i = 0; i < paths.Count; i++)
        {
            var entries = await ctx.Facts.GetAsync(trees[i], ct);
            if (entries is null)
            {
                var reason = $"'{paths[i]}' is not a directory";
                skipped[paths[i]] = reason;
                plan.Warnings.Add($"Skipped '{paths[i]}' path due to this access issue: {reason}\n");
                continue;
            }
            examined += entries.Count;
            var root = paths[i].Length > 1 ? paths[i].TrimEnd('/') : paths[i];
            foreach (var e in WalkOrder(root, entries))
            {
                var st = e.Stat;
                var name = Path.GetFileName(st.Path);
                if (depth is { } max && Depth(root, st.Path) > max) continue;
                if (name.StartsWith('.') && !a.Bool("hidden")) continue;
                if (!matches(name) || !OldEnough(st)) continue;
                var ok = fileType switch
                {
                    "any" => st.Type != "file" || BigEnough(st),
                    "directory" => st.Type == "directory",
                    "file" => st.Type == "file" && BigEnough(st),
                    _ => st.Type == "link",
                };
                if (ok) picked.Add(st);
            }
        }

        var regular = picked.Where(s => s.Type == "file").ToList();
        var sums = a.Bool("get_checksum") ? regular.ToDictionary(s => s.Path, s => new FileStatFact(s.Path, checksum: "sha1")) : new();
        var texts = contains is not null && fileType == "file" ? regular.ToDictionary(s => s.Path, s => new FileContentFact(s.Path)) : new();
        await ctx.Facts.GetAsync(ct, sums.Values.Concat<Fact>(texts.Values).ToArray());
        var files = new List<object?>();
        foreach (var st in picked)
        {
            if (texts.TryGetValue(st.Path, out var text) && !Contains(await ctx.Facts.GetAsync(text, ct), contains!, a.Bool("read_whole_file")))
                continue;
            var info = StatInfo(st);
            if (sums.TryGetValue(st.Path, out var sum) && (await ctx.Facts.GetAsync(sum, ct)).Sha1 is { } sha1) info["checksum"] = sha1;
            files.Add(info);
        }
        foreach (var (k, v) in new Dict
                 {
                     ["files"] = files, ["matched"] = (long)files.Count, ["examined"] = examined, ["skipped_paths"] = skipped,
                     ["msg"] = skipped.Count > 0 ? "Not all paths examined, check warnings for details" : "All paths examined",
                 })
            plan.Result[k] = v;
        return plan;
    }

    /// <summary>"-2d" → -172800 with <paramref name="units"/> (first letters) scaled by <paramref name="factor"/>; null when malformed.</summary>
    private static long? Scaled(string text, string units, Dictionary<string, long> factor)
    {
        var m = Regex.Match(text.ToLowerInvariant(), $@"^(-?\d+)([{units}])?\z");
        return m.Success ? long.Parse(m.Groups[1].Value) * (m.Groups[2].Success ? factor[m.Groups[2].Value] : 1) : null;
    }

    /// <summary>Levels below <paramref name="root"/>: 1 for its own entries.</summary>
    private static int Depth(string root, string path) =>
        path[(root == "/" ? 1 : root.Length + 1)..].Count(ch => ch == '/') + 1;

    /// <summary>os.walk's top-down order from find's depth-first one: per folder its non-folders, then its folders, then their trees.</summary>
    private static IEnumerable<TreeEntry> WalkOrder(string root, List<TreeEntry> entries)
    {
        var children = entries.GroupBy(e => Parent(e.Stat.Path)).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        IEnumerable<TreeEntry> Walk(string dir)
        {
            if (!children.TryGetValue(dir, out var list)) yield break;
            foreach (var e in list.Where(e => !e.DirLike)) yield return e;
            foreach (var e in list.Where(e => e.DirLike)) yield return e;
            foreach (var e in list.Where(e => e.DirLike))
                foreach (var below in Walk(e.Stat.Path)) yield return below;
        }
        return Walk(root);
    }

    private static string Parent(string path) => path.LastIndexOf('/') is var i && i > 0 ? path[..i] : "/";

    /// <summary>Whether a line of the text (or, reading the whole file, any part) matches, as Python's re.match / re.search; unreadable or non-UTF-8 text never does.</summary>
    private static bool Contains(byte[]? bytes, Regex re, bool wholeFile)
    {
        if (bytes is null) return false;
        string text;
        try { text = new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { return false; }
        text = text.Replace("\r\n", "\n").Replace('\r', '\n');
        if (wholeFile) return re.IsMatch(text);
        for (var start = 0; start < text.Length;)
        {
            var end = text.IndexOf('\n', start) is var nl and >= 0 ? nl + 1 : text.Length;
            if (StartsMatch(re, text[start..end])) return true;
            start = end;
        }
        return false;
    }

    /// <summary>Python's re.match: a match that starts at the beginning.</summary>
    private static bool StartsMatch(Regex re, string s) => re.Match(s) is { Success: true, Index: 0 };

    /// <summary>find.py's statinfo for an lstat.</summary>
    private static Dict StatInfo(FileState st)
    {
        var m = st.Mode;
        var fmt = st.RawMode & 0xF000;
        return new Dict
        {
            ["path"] = st.Path, ["mode"] = ModeParser.StatText(m),
            ["isdir"] = fmt == 0x4000, ["ischr"] = fmt == 0x2000, ["isblk"] = fmt == 0x6000, ["isreg"] = fmt == 0x8000,
            ["isfifo"] = fmt == 0x1000, ["islnk"] = fmt == 0xA000, ["issock"] = fmt == 0xC000,
            ["uid"] = st.Uid, ["gid"] = st.Gid, ["size"] = st.Size, ["inode"] = st.Inode, ["dev"] = st.Dev, ["nlink"] = st.Nlink,
            ["atime"] = st.Atime, ["mtime"] = st.Mtime, ["ctime"] = st.Ctime, ["gr_name"] = st.Group, ["pw_name"] = st.Owner,
            ["wusr"] = (m & 0x80) != 0, ["rusr"] = (m & 0x100) != 0, ["xusr"] = (m & 0x40) != 0,
            ["wgrp"] = (m & 0x10) != 0, ["rgrp"] = (m & 0x20) != 0, ["xgrp"] = (m & 0x8) != 0,
            ["woth"] = (m & 0x2) != 0, ["roth"] = (m & 0x4) != 0, ["xoth"] = (m & 0x1) != 0,
            ["isuid"] = (m & 0x800) != 0, ["isgid"] = (m & 0x400) != 0,
        };
    }
}
