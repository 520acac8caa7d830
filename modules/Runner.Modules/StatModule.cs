using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

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
public sealed class StatModule : IModule
{
    public string Name => "stat";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("path", OptionType.Path, Required: true, Aliases: new[] { "dest", "name" }),
        new("follow", OptionType.Bool, Default: false), new("get_checksum", OptionType.Bool, Default: true),
        new("checksum_algorithm", Default: "sha1", Choices: new[] { "md5", "sha1", "sha224", "sha256", "sha384", "sha512" },
            Aliases: new[] { "checksum", "checksum_algo" }),
        new("get_mime", OptionType.Bool, Default: true, Aliases: new[] { "mime", "mime_type", "mime-type" }),
        new("get_attributes", OptionType.Bool, Default: true, Aliases: new[] { "attr", "attributes" }),
        new("get_md5", OptionType.Bool, Default: false),
    });

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var st = await FileProbe.ProbeAsync(ctx, a.Str("path")!, a.Bool("follow"), a.Bool("get_checksum", true), ct,
            a.Str("checksum_algorithm") ?? "sha1");
        if (!st.Exists) return new Dict { ["changed"] = false, ["stat"] = new Dict { ["exists"] = false } };
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
        await AddMimeAndAttributesAsync(ctx, st.Path, s, a.Bool("get_mime", true), a.Bool("get_attributes", true), ct);
        return new Dict { ["changed"] = false, ["stat"] = s };
    }

    private static readonly Dictionary<char, string> AttributeNames = new()
    {
        ['A'] = "noatime", ['a'] = "append", ['c'] = "compressed", ['C'] = "nocow", ['d'] = "nodump", ['D'] = "dirsync",
        ['e'] = "extents", ['E'] = "encrypted", ['h'] = "blocksize", ['i'] = "immutable", ['I'] = "indexed",
        ['j'] = "journalled", ['N'] = "inline", ['s'] = "zero", ['S'] = "synchronous", ['t'] = "notail",
        ['T'] = "blockroot", ['u'] = "undelete", ['X'] = "compressedraw", ['Z'] = "compresseddirty",
    };

    /// <summary>One extra probe for the mime type (file) and ext2 attributes (lsattr), as stat.py gathers them.</summary>
    private static async Task AddMimeAndAttributesAsync(ModuleContext ctx, string path, Dict s, bool mime, bool attrs, CancellationToken ct)
    {
        if (!mime && !attrs) return;
        var q = Runner.Engine.Connections.ShellQuote.Quote(path);
        var script = (mime ? $"command -v file >/dev/null 2>&1 && printf 'M%s\\n' \"$(file --mime-type --mime-encoding -- {q} 2>/dev/null)\"\n" : "") +
                     (attrs ? $"command -v lsattr >/dev/null 2>&1 && printf 'L%s\\n' \"$(lsattr -vd -- {q} 2>/dev/null)\"\n" : "") + "exit 0\n";
        var r = await ctx.ShAsync(script, ct);
        if (mime) { s["mimetype"] = "unknown"; s["charset"] = "unknown"; }
        foreach (var line in r.Stdout.Split('\n'))
        {
            if (line.StartsWith('M') && line.LastIndexOf(':') is var c and > 0)
            {
                var parts = line[(c + 1)..].Split(';');
                if (parts.Length == 2 && parts[1].Split('=') is { Length: 2 } cs)
                {
                    s["mimetype"] = parts[0].Trim();
                    s["charset"] = cs[1].Trim();
                }
            }
            else if (line.StartsWith('L') && line[1..].Split(' ', 3, StringSplitOptions.RemoveEmptyEntries) is { Length: >= 2 } f)
            {
                var flags = f[1].Replace("-", "");
                s["version"] = f[0];
                s["attributes"] = flags.Where(AttributeNames.ContainsKey).Select(ch => (object?)AttributeNames[ch]).ToList();
                s["attr_flags"] = flags;
            }
        }
    }
}
