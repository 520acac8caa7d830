using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.get_url (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/get_url_module.html):
/// downloads on the target with curl or wget into a temp file beside dest, verifies the checksum
/// ("sha256:HEX", "sha1:", "md5:", ... or "ALGO:URL-of-a-checksum-file"), then renames it over dest only when the
/// content differs. dest may be a folder (the file name comes from the URL). When dest already has the
/// checksum (and not force) nothing is downloaded; without a checksum an existing dest is refreshed with
/// If-Modified-Since. mode/owner/group as the file module. Result: url, dest, changed, msg, status_code,
/// checksum_src / checksum_dest (sha1), elapsed (s), size, state, mode, uid, gid, owner, group.
/// Errors: "The checksum for TMP did not match CHECKSUM; it was ACTUAL." (no file is left at dest),
/// "Request failed" with status_code for HTTP errors, the tool's message for connection errors.
/// </summary>
public sealed class GetUrlModule : IModule
{
    public string Name => "get_url";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("url", Required: true), new("dest", OptionType.Path, Required: true),
        new("checksum", Default: ""), new("force", OptionType.Bool, Default: false, Aliases: new[] { "thirsty" }),
        new("timeout", OptionType.Int, Default: 10L), new("headers", OptionType.Dict),
        new("url_username", Aliases: new[] { "username" }), new("url_password", NoLog: true, Aliases: new[] { "password" }),
        new("force_basic_auth", OptionType.Bool, Default: false), new("validate_certs", OptionType.Bool, Default: true),
        new("backup", OptionType.Bool, Default: false), new("tmp_dest", OptionType.Path), new("use_proxy", OptionType.Bool, Default: true),
        new("http_agent", Default: "ansible-httpget"), new("decompress", OptionType.Bool, Default: true),
    }.Concat(FileAttrs.Options).ToList());

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var url = a.Str("url")!;
        var dest = a.Str("dest")!;
        var started = DateTime.UtcNow;
        var result = new Dict { ["url"] = url, ["dest"] = dest };
        string? algo = null, expected = null;
        if (a.Str("checksum") is { Length: > 0 } cs)
        {
            var (al, value, err) = Checksums.Parse(cs);
            if (err is not null) return Results.Fail(err, result);
            algo = al;
            expected = Checksums.IsUrl(value) ? value : value.ToLowerInvariant();
        }

        var fileName = Uri.TryCreate(url, UriKind.Absolute, out var u) ? Path.GetFileName(Uri.UnescapeDataString(u.AbsolutePath)) : "";
        if (fileName.Length == 0) fileName = "index.html";
        var qd = ShellQuote.Quote(dest);
        // one line per value: without a checksum algorithm the algorithm's line is empty
        var algoSum = algo is null ? "echo" : $"{Checksums.Tools[algo]} \"$d\" | cut -d' ' -f1";
        var probe = $"d={qd}; if [ -d \"$d\" ]; then d=\"${{d%/}}\"/{ShellQuote.Quote(fileName)}; fi; echo \"$d\"; " +
                    $"if [ -f \"$d\" ]; then echo yes; {algoSum}; sha1sum \"$d\" | cut -d' ' -f1; date -u -r \"$d\" '+%a, %d %b %Y %H:%M:%S GMT'; " +
                    $"else echo no; fi; [ -d \"$(dirname \"$d\")\" ] || echo nodir";
        var p = (await ctx.ShAsync(probe, ct)).Stdout.Split('\n');
        dest = p[0];
        result["dest"] = dest;
        var exists = p.Length > 1 && p[1] == "yes";
        if (p.Contains("nodir")) return Results.Fail($"Destination {Path.GetDirectoryName(dest)} does not exist", result);
        var destAlgoSum = exists && algo is not null ? p[2] : null;
        var destSha1 = exists ? p[3] : null;
        var destMtime = exists ? p[4] : null;

        if (expected is not null && Checksums.IsUrl(expected))
        {
            var sums = await FetchTextAsync(ctx, expected, a, ct);
            if (sums is null) return Results.Fail($"Unable to download the checksum file {expected}", result);
            expected = Checksums.FromFile(sums, fileName);
            if (expected is null) return Results.Fail($"Unable to find a checksum for file '{fileName}' in '{a.Str("checksum")![(algo!.Length + 1)..]}'", result);
        }

        if (exists && !a.Bool("force") && expected is not null && destAlgoSum == expected)
        {
            result["checksum_dest"] = destSha1;
            return await FinishAsync(ctx, result, dest, false, "file already exists", started, ct);
        }
        if (ctx.CheckMode)
        {
            // Ansible downloads in check mode to tell; we report the change an existing dest without checksum may not need
            ctx.Planned.AddPath(dest);
            result["changed"] = true;
            result["msg"] = "OK (check mode: not downloaded)";
            return result;
        }

        var tmpR = await ctx.ShAsync($"mktemp \"$(dirname -- {ShellQuote.Quote(dest)})/.runner-get_url.XXXXXX\"", ct);
        if (tmpR.ExitCode != 0) return Results.Fail(tmpR.Stderr.Trim(), result);
        var tmp = tmpR.Stdout.Trim();
        var qt = ShellQuote.Quote(tmp);
        var ims = exists && !a.Bool("force") && expected is null ? destMtime : null;
        var dl = await Downloader.FetchAsync(ctx, url, tmp, a.Long("timeout", 10), a.Get("headers") as Dict, a.Str("url_username"),
            a.Str("url_password"), a.Bool("validate_certs", true), a.Bool("force_basic_auth"), ims, ct);
        result["status_code"] = (long)dl.Status;
        result["elapsed"] = (long)(DateTime.UtcNow - started).TotalSeconds;
        if (dl.Status == 304 && dl.ExitCode == 0)
        {
            await ctx.ShAsync($"rm -f -- {qt}", ct);
            result["checksum_dest"] = destSha1;
            return await FinishAsync(ctx, result, dest, false, "Not Modified", started, ct);
        }
        if (!dl.Ok)
        {
            await ctx.ShAsync($"rm -f -- {qt}", ct);
            if (dl.Tool == "none") return Results.Fail(dl.Error, result);
            if (dl.Status >= 400) { result["response"] = $"HTTP Error {dl.Status}"; return Results.Fail("Request failed", result); }
            return Results.Fail($"Request failed: {(dl.Error.Length > 0 ? dl.Error : $"{dl.Tool} exited with {dl.ExitCode}")}", result);
        }

        var sumCmd = algo is null ? "echo" : Checksums.Tools[algo] + $" {qt} | cut -d' ' -f1";
        var sums2 = (await ctx.ShAsync($"sha1sum {qt} | cut -d' ' -f1; {sumCmd}; stat -c %s {qt}", ct)).Stdout.Split('\n');
        var tmpSha1 = sums2[0].Trim();
        if (expected is not null && sums2[1].Trim() != expected)
        {
            await ctx.ShAsync($"rm -f -- {qt}", ct);
            return Results.Fail($"The checksum for {tmp} did not match {expected}; it was {sums2[1].Trim()}.", result);
        }
        result["checksum_src"] = tmpSha1;
        result["checksum_dest"] = destSha1;
        if (exists && destSha1 == tmpSha1)
        {
            await ctx.ShAsync($"rm -f -- {qt}", ct);
            return await FinishAsync(ctx, result, dest, false, $"OK ({sums2[2].Trim()} bytes)", started, ct);
        }
        var qd2 = ShellQuote.Quote(dest);
        var keep = exists
            ? $"chmod --reference={qd2} {qt} 2>/dev/null; chown --reference={qd2} {qt} 2>/dev/null; "
            : $"chmod $(printf '%o' $((0666 & ~$(umask)))) {qt}; ";
        var backup = exists && a.Bool("backup") ? $"cp -p -- {qd2} {ShellQuote.Quote(dest + "." + DateTime.Now.ToString("yyyy-MM-dd@HH:mm:ss~"))}; " : "";
        var mv = await ctx.ShAsync(keep + backup + $"mv -f -- {qt} {qd2}", ct);
        if (mv.ExitCode != 0) { await ctx.ShAsync($"rm -f -- {qt}", ct); return Results.Fail(mv.Stderr.Trim(), result); }
        return await FinishAsync(ctx, result, dest, true, $"OK ({sums2[2].Trim()} bytes)", started, ct);
    }

    private static async Task<Dict> FinishAsync(ModuleContext ctx, Dict result, string dest, bool changed, string msg, DateTime started, CancellationToken ct)
    {
        var st = await FileProbe.ProbeAsync(ctx, dest, true, false, ct);
        var (attrsChanged, err) = st.Exists ? await FileAttrs.ApplyAsync(ctx, st, null, null, ct) : (false, null);
        if (err is not null) return Results.Fail(err, result);
        if (attrsChanged && !ctx.CheckMode) st = await FileProbe.ProbeAsync(ctx, dest, true, false, ct);
        if (st.Exists) FileAttrs.Describe(result, st, "dest");
        result["changed"] = changed || attrsChanged;
        result["msg"] = !changed && attrsChanged && msg == "file already exists" ? "file already exists but file attributes changed" : msg;
        result["url"] = result["url"];
        if (!result.ContainsKey("elapsed")) result["elapsed"] = (long)(DateTime.UtcNow - started).TotalSeconds;
        return result;
    }

    private static async Task<string?> FetchTextAsync(ModuleContext ctx, string url, Dict a, CancellationToken ct)
    {
        var tmp = (await ctx.ShAsync("mktemp", ct)).Stdout.Trim();
        var dl = await Downloader.FetchAsync(ctx, url, tmp, a.Long("timeout", 10), a.Get("headers") as Dict, a.Str("url_username"),
            a.Str("url_password"), a.Bool("validate_certs", true), a.Bool("force_basic_auth"), null, ct);
        var text = dl.Ok ? (await ctx.ShAsync($"cat -- {ShellQuote.Quote(tmp)}", ct)).Stdout : null;
        await ctx.ShAsync($"rm -f -- {ShellQuote.Quote(tmp)}", ct);
        return text;
    }
}
