using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.cron (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/cron_module.html,
/// modules/cron.py): a job (with its "#Ansible: NAME" marker line before it) or, with env, a NAME="VALUE" variable in a
/// user's crontab (read with `crontab -l`, written with `crontab -` on stdin; `-u USER` when USER is not the task's
/// user) or in a cron_file (a name under /etc/cron.d, or an absolute path; its job lines carry the user). The time
/// fields or special_time, disabled (the line commented out), insertafter/insertbefore for variables, state absent
/// (a cron_file left without content is removed). crontab must be on the target (Ansible looks it up even for a
/// cron_file: 'Failed to find required executable "crontab" in paths: ...'). Result: jobs, envs (the names in the file
/// after the change), changed, cron_file when given, backup_file with backup (a copy of the old crontab in /tmp,
/// kept only when something changed); diff before/after with the crontab's header ('crontab for user "U"', 'crontab'
/// or the cron file). Errors as Ansible's: "You must specify time and date fields or special time.", "To use
/// cron_file=... parameter you must specify user=... as well", "You must specify 'job' to install a new cron job or
/// variable", "Insertafter and insertbefore parameters are valid only with env=yes", "Invalid name for environment
/// variable", "Variable named 'X' not found.", "Will not manage /etc/crontab via cron_file, see documentation.".
/// </summary>
public sealed class CronModule : PlanningModule
{
    private static readonly string[] Fields = { "minute", "hour", "day", "month", "weekday" };

    public override string Name => "cron";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("name", Required: true), new("user"), new("job", Aliases: new[] { "value" }), new("cron_file", OptionType.Path),
        new("state", Default: "present", Choices: new[] { "present", "absent" }), new("backup", OptionType.Bool, Default: false),
        new("minute", Default: "*"), new("hour", Default: "*"), new("day", Default: "*", Aliases: new[] { "dom" }),
        new("month", Default: "*"), new("weekday", Default: "*", Aliases: new[] { "dow" }),
        new("special_time", Choices: new[] { "reboot", "yearly", "annually", "monthly", "weekly", "daily", "hourly" }),
        new("disabled", OptionType.Bool, Default: false), new("env", OptionType.Bool, Default: false),
        new("insertafter"), new("insertbefore"),
    }) { MutuallyExclusive = new[] { new[] { "insertafter", "insertbefore" } } };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var name = a.Str("name")!;
        var user = a.Str("user");
        var job = a.Str("job");
        var install = a.Str("state") == "present";
        var env = a.Bool("env");
        var (insertAfter, insertBefore) = (a.Str("insertafter"), a.Str("insertbefore"));
        var warnings = new List<string>();
        var cronFile = a.Str("cron_file") is { Length: > 0 } cf ? cf : null;
        string? path = null;
        if (cronFile is not null)
        {
            if (cronFile == "/etc/crontab") return Plan.Fail("Will not manage /etc/crontab via cron_file, see documentation.");
            var baseName = Path.GetFileName(cronFile);
            if (!Regex.IsMatch(baseName, "^[A-Z0-9_-]+$", RegexOptions.IgnoreCase))
                warnings.Add($"Filename portion of cron_file (\"{baseName}\") should consist solely of upper- and lower-case letters, digits, underscores, and hyphens");
            path = cronFile.StartsWith('/') ? cronFile : "/etc/cron.d/" + cronFile;
        }

        // read: the cron file (crontab must still exist, as Ansible checks), or the user's crontab
        CronTab tab;
        Crontab? crontab = null;
        var fileExists = false;
        if (path is not null)
        {
            var bin = new ExecutableFact("crontab");
            var content = new FileContentFact(path);
            await ctx.Facts.GetAsync(ct, bin, content);
            if (await ctx.Facts.GetAsync(bin, ct) is { Path: null } none) return Plan.Fail(none.Missing("crontab"));
            var bytes = await ctx.Facts.GetAsync(content, ct);
            fileExists = bytes is not null;
            tab = CronTab.FromFile(bytes is null ? null : Encoding.UTF8.GetString(bytes));
        }
        else
        {
            crontab = await ctx.Facts.GetAsync(new CrontabFact(user), ct);
            if (crontab.Missing is { } missing) return Plan.Fail(missing);
            if (crontab.ExitCode is not (0 or 1)) return Plan.Fail("Unable to read crontab", new Dict { ["stderr"] = crontab.Error });
            tab = CronTab.FromCrontab(crontab.ExitCode == 0 ? crontab.Text : "");
        }
        var header = path ?? (user is not null ? $"crontab for user \"{user}\"" : "crontab");
        var before = tab.Existing;
        var original = tab.Render();

        if (a.Str("special_time") is not null && Fields.Any(f => a.Str(f) != "*"))
            return Plan.Fail("You must specify time and date fields or special time.");
        if (install)
        {
            if (cronFile is not null && user is null) return Plan.Fail("To use cron_file=... parameter you must specify user=... as well");
            if (job is null) return Plan.Fail("You must specify 'job' to install a new cron job or variable");
            if ((insertAfter is not null || insertBefore is not null) && !env) return Plan.Fail("Insertafter and insertbefore parameters are valid only with env=yes");
        }

        var changed = false;
        if (env)
        {
            if (name.Contains(' ')) return Plan.Fail("Invalid name for environment variable");
            var decl = $"{name}=\"{job}\"";
            var old = tab.FindEnv(name);
            if (install && old is null)
            {
                if (tab.AddEnv(decl, insertAfter, insertBefore) is { } error) return Plan.Fail(error);
                changed = true;
            }
            else if (install && old!.Value.Line != decl) { tab.UpdateEnv(name, decl); changed = true; }
            else if (!install && old is not null) { tab.UpdateEnv(name, null); changed = true; }
        }
        else if (install)
        {
            if (job!.Trim('\r', '\n').IndexOfAny(new[] { '\r', '\n' }) >= 0) warnings.Add("Job should not contain line breaks");
            var line = CronTab.JobLine(a.Str("minute")!, a.Str("hour")!, a.Str("day")!, a.Str("month")!, a.Str("weekday")!, job,
                a.Str("special_time"), a.Bool("disabled"), path is null ? null : user);
            var old = tab.FindJob(name, line);
            if (old.Count == 0) { tab.AddJob(name, line); changed = true; }
            if (old.Count > 0 && old[1] != line) { tab.UpdateJob(name, line); changed = true; }
            if (old.Count > 2) { tab.UpdateJob(name, line); changed = true; }
        }
        else if (tab.FindJob(name).Count > 0)
        {
            tab.UpdateJob(name, null);
            changed = true;
            if (path is not null && tab.IsEmpty) return RemoveFile(path, cronFile!, fileExists, before);
        }
        // nothing to change, but the text needs its final newline
        if (!changed && before.Length > 0 && !before.EndsWith('\r') && !before.EndsWith('\n')) changed = true;

        var result = new Dict { ["jobs"] = tab.JobNames(), ["envs"] = tab.EnvNames() };
        if (cronFile is not null) result["cron_file"] = cronFile;
        var plan = new Plan { Result = result };
        plan.Warnings.AddRange(warnings);
        if (!changed) return plan;

        var text = tab.Render();
        plan.Diff = new Dict { ["before"] = before, ["before_header"] = header, ["after"] = text, ["after_header"] = header };
        RunStep? backup = null;
        if (a.Bool("backup"))
        {
            // Ansible's tempfile.mkstemp(prefix='crontab'): a 0600 file in the temp folder holding the crontab as it was
            backup = new RunStep("f=$(mktemp \"${TMPDIR:-/tmp}/crontabXXXXXXXX\") && cat > \"$f\" && printf '%s\\n' \"$f\"")
                { Stdin = Encoding.UTF8.GetBytes(original), FailMessage = "{stderr}" };
            plan.Add(backup);
        }
        var content2 = Encoding.UTF8.GetBytes(text);
        plan.Add(path is not null
            ? new PutFileStep(path, content2) { Creates = new Planned.File(path) }
            : new RunStep(Argv.Of(crontab!.Program!).AddIf(crontab.OtherUser, "-u", user!).Add("-")) { Stdin = content2, FailMessage = "{stderr}" });
        if (backup is not null)
            plan.Then = (outcomes, _) => Task.FromResult(outcomes.First(o => ReferenceEquals(o.Step, backup)).Result is { } made
                ? Plan.Ok(new Dict { ["backup_file"] = made.Stdout.Trim() })
                : Plan.Ok());
        return plan;
    }

    /// <summary>The last job gone from a cron_file: the file is removed (changed when it was there), as Ansible's early exit (no jobs, envs or warnings).</summary>
    private static Plan RemoveFile(string path, string cronFile, bool exists, string before)
    {
        var plan = new Plan
        {
            // Ansible's exit_json(diff=diff) carries an empty diff outside diff mode; the engine sets the real one in it
            Result = new Dict { ["cron_file"] = cronFile, ["state"] = "absent", ["diff"] = new Dict() },
            Diff = new Dict { ["before"] = before, ["before_header"] = path, ["after"] = "", ["after_header"] = "/dev/null" },
        };
        if (exists) plan.Add(new RunStep(Argv.Of("rm", "-f", "--", path)));
        return plan;
    }
}
