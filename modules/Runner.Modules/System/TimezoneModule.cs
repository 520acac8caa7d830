using System.Text;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// community.general.timezone (https://docs.ansible.com/ansible/latest/collections/community/general/timezone_module.html)
/// on Linux, as plugins/modules/timezone.py does it, reading the host in one probe (<see cref="TimezoneFact"/>): when
/// `timedatectl` runs, the zone and the RTC mode come from `timedatectl status` and are set with `timedatectl
/// set-timezone` / `set-local-rtc`; otherwise (Debian layout) the zone is the first word of /etc/timezone checked
/// against the /etc/localtime link (or its bytes), and a change rewrites /etc/timezone, runs `ln -sf
/// /usr/share/zoneinfo/ZONE /etc/localtime` and `dpkg-reconfigure --frontend noninteractive tzdata` when present;
/// hwclock edits UTC= in /etc/default/rcS and runs `hwclock --systohc --utc|--localtime`.
/// Result: changed, diff {before, after} of the given options (always a result field, as Ansible's), msg with what
/// was executed or edited when anything ran. After a change the host is read again and must hold the planned values.
/// Errors as Ansible's: 'Error message:\ngiven timezone "X" is not available', 'one of the following is required:
/// hwclock, name', 'Failed to find required executable "hwclock" in paths: PATH'; a failed command gives its stderr
/// as msg with cmd, rc, stdout, stderr.
/// </summary>
public sealed class TimezoneModule : PlanningModule
{
    public override string Name => "timezone";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("hwclock", Choices: new[] { "local", "UTC" }, Aliases: new[] { "rtc" }),
        new OptionSpec("name"));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var planned = new Dict();
        foreach (var key in new[] { "hwclock", "name" })
            if (ctx.Args.Str(key) is { } v) planned[key] = v;
        if (planned.Count == 0) return Plan.Fail("one of the following is required: hwclock, name");
        var zone = ctx.Args.Str("name");
        var msgs = new List<string>();
        string Abort(string msg) => "Error message:\n" + msg + (msgs.Count > 0 ? "\nOther message(s):\n" + string.Join("\n", msgs) : "");

        var p = await ctx.Facts.GetAsync(new TimezoneFact(zone), ct);
        if (zone is not null && !p.ZoneFile) return Plan.Fail(Abort($"given timezone \"{zone}\" is not available"));
        var before = Read(p, planned, before: true, out var error);
        if (error is not null) return Plan.Fail(Abort(error));

        // the diff's after is the planned state: a change that does not reach it fails below
        var plan = new Plan { Result = new Dict { ["diff"] = new Dict { ["before"] = before, ["after"] = new Dict(planned) } } };
        foreach (var (key, want) in planned)
        {
            if (Equals(before[key], want)) continue;
            if (Steps(p, key, (string)want!, msgs) is { } steps) plan.Steps.AddRange(steps);
            else return Plan.Fail($"Failed to find required executable \"hwclock\" in paths: {p.Path}");
        }
        if (plan.Steps.Count == 0) return plan;
        plan.Then = async (outcomes, token) =>
        {
            if (outcomes.Any(o => !o.Ran)) return Plan.Ok();
            var after = Read(await ctx.Facts.GetAsync(new TimezoneFact(zone), token), planned, before: false, out var afterError);
            if (afterError is not null) return Plan.Fail(Abort(afterError));
            if (!(after.Count == planned.Count && after.All(kv => Equals(planned.Get(kv.Key), kv.Value))))
                return Plan.Fail(Abort($"still not desired state, though changes have made - planned: {PyStr.Repr(planned)}, after: {PyStr.Repr(after)}"));
            return Plan.Ok(new Dict { ["msg"] = string.Join("\n", msgs) });
        };
        return plan;
    }

    /// <summary>The current values of the planned keys (Timezone.check); <paramref name="error"/> when they cannot be read.</summary>
    private static Dict Read(TimezoneProbe p, Dict planned, bool before, out string? error)
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
                if (value is null) { error = $"tried to configure name using a file \"{TimezoneFact.TimezoneFile}\", but could not find a valid value in it"; return values; }
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

    /// <summary>The steps that set one key (Timezone.set), adding what they do to <paramref name="msgs"/>; null when hwclock is needed and missing.</summary>
    private static List<Step>? Steps(TimezoneProbe p, string key, string value, List<string> msgs)
    {
        if (p.Timedatectl is { } tdc)
        {
            var (verb, arg) = key == "hwclock" ? ("set-local-rtc", value == "local" ? "yes" : "no") : ("set-timezone", value);
            msgs.Add($"executed `{tdc} {verb} {arg}`");
            return new List<Step> { Command(Argv.Of(tdc, verb, arg), $"{tdc} {verb} {arg}") };
        }
        if (key == "hwclock")
        {
            if (p.Hwclock is not { } hwclock) return null;
            var option = value == "local" ? "--localtime" : "--utc";
            var rcs = Edit(TimezoneFact.RcsFile, p.Rcs, "hwclock", $"UTC={(value == "local" ? "no" : "yes")}\n", msgs);
            msgs.Add($"executed `{hwclock} --systohc {option}`");
            return new List<Step> { rcs, Command(Argv.Of(hwclock, "--systohc", option), $"{hwclock} --systohc {option}") };
        }
        var steps = new List<Step> { Edit(TimezoneFact.TimezoneFile, p.TimezoneText, "name", value + "\n", msgs) };
        var zoneFile = "/usr/share/zoneinfo/" + value;
        var ln = p.Ln ?? "ln";
        steps.Add(Command(Argv.Of(ln, "-sf", "--", zoneFile, "/etc/localtime"), $"{ln} -sf {zoneFile} /etc/localtime"));
        if (p.DpkgReconfigure is { } dr)
            steps.Add(Command(Argv.Of(dr, "--frontend", "noninteractive", "tzdata"), $"{dr} --frontend noninteractive tzdata"));
        return steps;
    }

    /// <summary>The write of <paramref name="path"/> with the line edit of _edit_file.</summary>
    private static PutFileStep Edit(string path, string? text, string key, string line, List<string> msgs)
    {
        var (content, deleted) = TimezoneState.EditLines(text, key, line);
        msgs.Add($"Added 1 line and deleted {deleted} line(s) on {path}");
        return new PutFileStep(path, Encoding.UTF8.GetBytes(content));
    }

    /// <summary>A command run as run_command(check_rc=True): its failure gives the stderr as msg and Ansible's cmd (as <paramref name="shown"/>).</summary>
    private static RunStep Command(Argv command, string shown) => new(command) { OnFailure = r => Plan.CommandFailed(r, r.Stderr.Trim(), new Dict { ["cmd"] = shown }) };
}
