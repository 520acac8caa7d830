using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.stat (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/stat_module.html):
/// {"changed": false, "stat": {"exists": false}} for a missing path, else exists, path, mode "0644", isdir,
/// isreg, islnk, ischr, isblk, isfifo, issock, uid, gid, pw_name, gr_name, size, inode, dev, nlink, atime,
/// mtime, ctime, the r/w/x bits per class, isuid, isgid, readable, writeable, executable, checksum (regular
/// readable files, get_checksum), lnk_source/lnk_target (links when not following), blocks, block_size, device_type.
/// mimetype/charset come from `file --mime-type --mime-encoding` ("unknown" without it); version, attributes
/// and attr_flags from `lsattr -vd` when it exists.
/// </summary>
public sealed class StatModule : PlanningModule
{
    public override string Name => "stat";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("path", OptionType.Path, Required: true, Aliases: new[] { "dest", "name" }),
        new("follow", OptionType.Bool, Default: false), new("get_checksum", OptionType.Bool, Default: true),
        new("checksum_algorithm", Default: "sha1", Choices: new[] { "md5", "sha1", "sha224", "sha256", "sha384", "sha512" },
            Aliases: new[] { "checksum", "checksum_algo" }),
        new("get_mime", OptionType.Bool, Default: true, Aliases: new[] { "mime", "mime_type", "mime-type" }),
        new("get_attributes", OptionType.Bool, Default: true, Aliases: new[] { "attr", "attributes" }),
        new("get_md5", OptionType.Bool, Default: false),
    });

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var path = a.Str("path")!;
        var stat = new FileStatFact(path, a.Bool("follow"), a.Bool("get_checksum", true) ? a.Str("checksum_algorithm") ?? "sha1" : null);
        var (mime, attrs) = (a.Bool("get_mime", true), a.Bool("get_attributes", true));
        var type = new FileTypeFact(path, mime, attrs);
        // one round trip: the inode and, when asked, what file and lsattr say (nothing when the path is missing)
        await ctx.Facts.GetAsync(ct, mime || attrs ? new Fact[] { stat, type } : new Fact[] { stat });
        var st = await ctx.Facts.GetAsync(stat, ct);
        if (!st.Exists) return Plan.Ok(new Dict { ["stat"] = new Dict { ["exists"] = false } });
        var m = st.Mode;
        var fmt = st.RawMode & 0xF000;
        var s = new Dict
        {
            ["exists"] = true, ["path"] = st.Path, ["mode"] = ModeParser.StatText(m),
            ["isdir"] = fmt == 0x4000, ["ischr"] = fmt == 0x2000, ["isblk"] = fmt == 0x6000, ["isreg"] = fmt == 0x8000,
            ["isfifo"] = fmt == 0x1000, ["islnk"] = fmt == 0xA000, ["issock"] = fmt == 0xC000,
            ["uid"] = st.Uid, ["gid"] = st.Gid, ["size"] = st.Size, ["inode"] = st.Inode, ["dev"] = st.Dev, ["nlink"] = st.Nlink,
            ["atime"] = st.Atime, ["mtime"] = st.Mtime, ["ctime"] = st.Ctime,
            ["wusr"] = (m & 0x80) != 0, ["rusr"] = (m & 0x100) != 0, ["xusr"] = (m & 0x40) != 0,
            ["wgrp"] = (m & 0x10) != 0, ["rgrp"] = (m & 0x20) != 0, ["xgrp"] = (m & 0x8) != 0,
            ["woth"] = (m & 0x2) != 0, ["roth"] = (m & 0x4) != 0, ["xoth"] = (m & 0x1) != 0,
            ["isuid"] = (m & 0x800) != 0, ["isgid"] = (m & 0x400) != 0,
            ["pw_name"] = st.Owner, ["gr_name"] = st.Group,
            ["readable"] = st.Readable, ["writeable"] = st.Writable, ["executable"] = st.Executable,
        };
        if (fmt == 0xA000)
        {
            s["lnk_source"] = st.LinkResolved;
            s["lnk_target"] = st.LinkTarget;
        }
        s["blocks"] = st.Blocks;
        s["block_size"] = st.BlockSize;
        s["device_type"] = st.Rdev;
        if (st.Sha1 is { } sum) s["checksum"] = sum;
        if (mime || attrs) Describe(s, await ctx.Facts.GetAsync(type, ct), mime);
        return Plan.Ok(new Dict { ["stat"] = s });
    }

    private static readonly Dictionary<char, string> AttributeNames = new()
    {
        ['A'] = "noatime", ['a'] = "append", ['c'] = "compressed", ['C'] = "nocow", ['d'] = "nodump", ['D'] = "dirsync",
        ['e'] = "extents", ['E'] = "encrypted", ['h'] = "blocksize", ['i'] = "immutable", ['I'] = "indexed",
        ['j'] = "journalled", ['N'] = "inline", ['s'] = "zero", ['S'] = "synchronous", ['t'] = "notail",
        ['T'] = "blockroot", ['u'] = "undelete", ['X'] = "compressedraw", ['Z'] = "compresseddirty",
    };

    /// <summary>mimetype and charset ("unknown" without file) when <paramref name="mime"/>; version, attributes and attr_flags when lsattr answered.</summary>
    private static void Describe(Dict s, FileTypeFact.Info info, bool mime)
    {
        if (mime)
        {
            s["mimetype"] = info.MimeType ?? "unknown";
            s["charset"] = info.Charset ?? "unknown";
        }
        if (info.Flags is not null)
        {
            var flags = info.Flags.Replace("-", "");
            s["version"] = info.Version;
            s["attributes"] = flags.Where(AttributeNames.ContainsKey).Select(ch => (object?)AttributeNames[ch]).ToList();
            s["attr_flags"] = flags;
        }
    }
}
