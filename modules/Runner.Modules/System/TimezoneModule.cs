using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// community.general.timezone (https://docs.ansible.com/ansible/latest/collections/community/general/timezone_module.html)
/// on Linux, as plugins/modules/timezone.py does it: when `timedatectl` runs, the zone and the RTC mode are read from
/// `timedatectl status` and set with `timedatectl set-timezone` / `set-local-rtc`; otherwise (Debian layout) the zone is
/// the first word of /etc/timezone checked against the /etc/localtime link (or its bytes), and a change rewrites
/// /etc/timezone, runs `ln -sf /usr/share/zoneinfo/ZONE /etc/localtime` and `dpkg-reconfigure --frontend noninteractive
/// tzdata` when present; hwclock edits UTC= in /etc/default/rcS and runs `hwclock --systohc --utc|--localtime`.
/// Result: changed, diff {before, after} of the given options (always, as Ansible), msg with what was executed or
/// edited when anything was. Check mode reports the change (after = the planned values) and touches nothing.
/// Errors as Ansible's: 'Error message:\ngiven timezone "X" is not available', 'one of the following is required: hwclock, name'.
/// </summary>
public sealed class TimezoneModule : IModule
{
    public string Name => "timezone";

    public ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("hwclock", Choices: new[] { "local", "UTC" }, Aliases: new[] { "rtc" }),
        new OptionSpec("name"));

    private const string TimezoneFile = "/etc/timezone";
    private const string RcsFile = "/etc/default/rcS";

    /// <summary>What one probe saw; the file texts are null when the file is absent.</summary>
    private sealed record Probe(string Path, string? Timedatectl, string? Status, bool ZoneFile, string? TimezoneText,
        string Localtime, string LinkTarget, bool LocaltimeSame, string? Rcs, string? Adjtime, string? Ln, string? DpkgReconfigure, string? Hwclock);

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var planned = new Dict();
        foreach (var key in new[] { "hwclock", "name" })
            if (ctx.Args.Str(key) is { } v) planned[key] = v;
        if (planned.Count == 0) return Results.Fail("one of the following is required: hwclock, name");
        var zone = ctx.Args.Str("name");
        var msgs = new List<string>();
        Dict Abort(string msg) => Results.Fail("Error message:\n" + msg + (msgs.Count > 0 ? "\nOther message(s):\n" + string.Join("\n", msgs) : ""));

        var probe = await ProbeAsync(ctx, zone, ct);
        if (zone is not null && !probe.ZoneFile) return Abort($"given timezone \"{zone}\" is not available");
        var before = Read(probe, planned, before: true, out var error);
        if (error is not null) return Abort(error);

        Dict after;
        if (ctx.CheckMode) after = new Dict(planned);
        else
        {
            foreach (var (key, want) in planned)
            {
                if (Equals(before[key], want)) continue;
                if (await SetAsync(ctx, probe, key, (string)want!, msgs, Abort, ct) is { } failed) return failed;
            }
            after = Read(await ProbeAsync(ctx, zone, ct), planned, before: false, out error);
            if (error is not null) return Abort(error);
            if (!DictEquals(after, planned))
                return Abort($"still not desired state, though changes have made - planned: {PyStr.Repr(planned)}, after: {PyStr.Repr(after)}");
        }
        var result = new Dict { ["changed"] = !DictEquals(before, after), ["diff"] = new Dict { ["before"] = before, ["after"] = after } };
        if (msgs.Count > 0) result["msg"] = string.Join("\n", msgs);
        return result;
    }

    private static bool DictEquals(Dict a, Dict b) => a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && Equals(v, kv.Value));

    /// <summary>The current values of the planned keys (Timezone.check); <paramref name="error"/> when they cannot be read.</summary>
    private static Dict Read(Probe p, Dict planned, bool before, out string? error)
    {
        error = null;
        var values = new Dict();
        foreach (var (key, wantObj) in planned)
        {
            var want = (string)wantObj!;
            string? value;
            if (p.Timedatectl is not null)
            {
                value = TimezoneState.FromStatus(p.Status ?? "", key);
                if (value is null) { error = $"could not find the {key} in the output of `{p.Timedatectl} status`"; return values; }
            }
            else if (key == "hwclock")
            {
                value = TimezoneState.FromRcs(p.Rcs);
                if (value == want) value = TimezoneState.FromAdjtime(p.Adjtime);
            }
            else
            {
                value = TimezoneState.FromTimezoneFile(p.TimezoneText, before);
                if (value is null) { error = $"tried to configure name using a file \"{TimezoneFile}\", but could not find a valid value in it"; return values; }
                if (value == want)
                    value = p.Localtime switch
                    {
                        "link" => TimezoneState.FromLocaltimeLink(p.LinkTarget),
                        "file" when p.LocaltimeSame => value,
                        _ => "n/a", // a broken link, no /etc/localtime, or one whose bytes differ from the zone file
                    };
            }
            values[key] = value;
        }
        return values;
    }

    /// <summary>Sets one key (Timezone.set); null on success, else the failed result.</summary>
    private static async Task<Dict?> SetAsync(ModuleContext ctx, Probe p, string key, string value, List<string> msgs,
        Func<string, Dict> abort, CancellationToken ct)
    {
        if (p.Timedatectl is not null)
        {
            var (verb, arg) = key == "hwclock" ? ("set-local-rtc", value == "local" ? "yes" : "no") : ("set-timezone", value);
            var failed = await ExecuteAsync(ctx, $"{p.Timedatectl} {verb} {arg}", $"{ShellQuote.Quote(p.Timedatectl)} {verb} {ShellQuote.Quote(arg)}", ct);
            if (failed is null) msgs.Add($"executed `{p.Timedatectl} {verb} {arg}`");
            return failed;
        }
        if (key == "hwclock")
        {
            if (p.Hwclock is null) return Results.Fail($"Failed to find required executable \"hwclock\" in paths: {p.Path}");
            var utc = value == "local" ? "no" : "yes";
            if (await EditAsync(ctx, RcsFile, p.Rcs, "hwclock", $"UTC={utc}\n", msgs, ct) is { } editError) return abort(editError);
            var option = value == "local" ? "--localtime" : "--utc";
            var failed = await ExecuteAsync(ctx, $"{p.Hwclock} --systohc {option}", $"{ShellQuote.Quote(p.Hwclock)} --systohc {option}", ct);
            if (failed is null) msgs.Add($"executed `{p.Hwclock} --systohc {option}`");
            return failed;
        }
        if (await EditAsync(ctx, TimezoneFile, p.TimezoneText, "name", value + "\n", msgs, ct) is { } nameError) return abort(nameError);
        var zoneFile = "/usr/share/zoneinfo/" + value;
        var ln = p.Ln ?? "ln";
        if (await ExecuteAsync(ctx, $"{ln} -sf {zoneFile} /etc/localtime", $"{ShellQuote.Quote(ln)} -sf -- {ShellQuote.Quote(zoneFile)} /etc/localtime", ct) is { } lnFailed)
            return lnFailed;
        if (p.DpkgReconfigure is { } dr)
            return await ExecuteAsync(ctx, $"{dr} --frontend noninteractive tzdata", $"{ShellQuote.Quote(dr)} --frontend noninteractive tzdata", ct);
        return null;
    }

    /// <summary>Rewrites <paramref name="path"/> in place with the line edit of _edit_file; null on success, else the error.</summary>
    private static async Task<string?> EditAsync(ModuleContext ctx, string path, string? text, string key, string line, List<string> msgs, CancellationToken ct)
    {
        var (content, deleted) = TimezoneState.EditLines(text, key, line);
        var r = await ctx.ShAsync($"printf '%s' {ShellQuote.Quote(content)} > {path}", ct);
        if (r.ExitCode != 0) return $"tried to configure {key} using a file \"{path}\", but could not write to it";
        msgs.Add($"Added 1 line and deleted {deleted} line(s) on {path}");
        return null;
    }

    /// <summary>Runs a command as run_command(check_rc=True): null on success, else Ansible's failure (cmd, rc, stdout, stderr, msg).</summary>
    private static async Task<Dict?> ExecuteAsync(ModuleContext ctx, string shown, string script, CancellationToken ct)
    {
        var r = await ctx.ShAsync(script, ct);
        if (r.ExitCode == 0) return null;
        return Results.Fail(r.Stderr.TrimEnd(), new Dict { ["cmd"] = shown, ["rc"] = (long)r.ExitCode, ["stdout"] = r.Stdout, ["stderr"] = r.Stderr });
    }

    /// <summary>One round trip: the tools, `timedatectl status`, the zone file, and the files the non-systemd way reads.</summary>
    private static async Task<Probe> ProbeAsync(ModuleContext ctx, string? zone, CancellationToken ct)
    {
        var zoneFile = ShellQuote.Quote("/usr/share/zoneinfo/" + (zone ?? ""));
        string B64(string path) => $"if [ -e {path} ]; then echo present; base64 -w0 {path}; echo; fi; {TargetScript.Sep}";
        var script = new StringBuilder()
            .Append("PATH=$PATH:/sbin:/usr/sbin:/usr/local/sbin; echo \"$PATH\"; ").Append(TargetScript.Sep).Append("; ")
            .Append("for t in timedatectl ln dpkg-reconfigure hwclock; do command -v $t || echo; done; ").Append(TargetScript.Sep).Append("; ")
            .Append("t=$(command -v timedatectl) && { s=$(\"$t\" status 2>&1) && printf 'ok\\n%s\\n' \"$s\"; }; ").Append(TargetScript.Sep).Append("; ")
            .Append(zone is null ? "" : $"[ -f {zoneFile} ] && echo yes; ").Append(TargetScript.Sep).Append("; ")
            .Append(B64(TimezoneFile)).Append("; ").Append(B64(RcsFile)).Append("; ").Append(B64("/etc/adjtime")).Append("; ")
            .Append("if [ -L /etc/localtime ]; then if [ -e /etc/localtime ]; then echo link; else echo broken; fi; readlink /etc/localtime; ")
            .Append("elif [ -e /etc/localtime ]; then echo file; ")
            .Append(zone is null ? "" : $"a=$(sha256sum < /etc/localtime) && b=$(sha256sum < {zoneFile}) && [ \"$a\" = \"$b\" ] && echo same; ")
            .Append("else echo none; fi");
        var r = await ctx.ShAsync(script.ToString(), ct);
        var s = TargetScript.Sections(r.Stdout);
        string Sec(int i) => i < s.Length ? s[i] : "";
        string? Tool(string[] tools, int i) => i < tools.Length && tools[i].Length > 0 ? tools[i] : null;
        string? File(int i)
        {
            var lines = Sec(i).Split('\n');
            return lines[0] == "present" ? Encoding.UTF8.GetString(Convert.FromBase64String(lines.Length > 1 ? lines[1].Trim() : "")) : null;
        }
        var tools = Sec(1).Split('\n');
        var status = Sec(2);
        var timedatectlRuns = status.StartsWith("ok\n") || status == "ok";
        var localtime = Sec(7).Split('\n');
        return new Probe(
            Path: Sec(0).Trim(),
            Timedatectl: timedatectlRuns ? Tool(tools, 0) : null,
            Status: timedatectlRuns ? status[Math.Min(3, status.Length)..] : null,
            ZoneFile: Sec(3).Trim() == "yes",
            TimezoneText: File(4), Rcs: File(5), Adjtime: File(6),
            Localtime: localtime[0] == "broken" ? "none" : localtime[0],
            LinkTarget: localtime.Length > 1 ? localtime[1] : "",
            LocaltimeSame: localtime.Length > 1 && localtime[1] == "same",
            Ln: Tool(tools, 1), DpkgReconfigure: Tool(tools, 2), Hwclock: Tool(tools, 3));
    }
}
