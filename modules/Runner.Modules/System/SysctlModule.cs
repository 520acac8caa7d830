using System.Text;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.posix.sysctl (https://docs.ansible.com/ansible/latest/collections/ansible/posix/sysctl_module.html) on
/// Linux: keeps NAME=VALUE in sysctl_file (default /etc/sysctl.conf; the file is rewritten with every line stripped
/// and later duplicates of a key dropped), sets the running value with `sysctl -w` (sysctl_set) and reloads the file
/// with `sysctl -p FILE` after any change (reload). Values compare word by word; yes/no/true/false become 1/0.
/// Result {"changed"} only, as Ansible's. Failures: "setting NAME failed: OUTPUT", "Failed to reload sysctl: OUTPUT",
/// "name cannot be blank", "value cannot be blank".
/// </summary>
public sealed class SysctlModule : PlanningModule
{
    private static readonly string[] True = { "y", "yes", "on", "1", "true", "t" };
    private static readonly string[] False = { "n", "no", "off", "0", "false", "f" };

    public override string Name => "sysctl";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("name", Required: true, Aliases: new[] { "key" }), new("value", Aliases: new[] { "val" }),
        new("state", Default: "present", Choices: new[] { "present", "absent" }),
        new("reload", OptionType.Bool, Default: true), new("sysctl_set", OptionType.Bool, Default: false),
        new("ignoreerrors", OptionType.Bool, Default: false), new("sysctl_file", OptionType.Path, Default: "/etc/sysctl.conf"),
    })
    {
        RequiredIf = new[] { new RequiredIf("state", "present", new[] { "value" }) },
    };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var present = a.Str("state") == "present";
        if (a.Str("name") == "") return Plan.Fail("name cannot be blank");
        if (present && a.Str("value") == "") return Plan.Fail("value cannot be blank");
        var name = a.Str("name")!.Trim();
        var value = ParseValue(a.Str("value"));
        var file = a.Str("sysctl_file")!;
        var proc = new SysctlFact(name);
        var content = new FileContentFact(file);
        await ctx.Facts.GetAsync(ct, proc, content);
        var procValue = await ctx.Facts.GetAsync(proc, ct);
        var bytes = await ctx.Facts.GetAsync(content, ct);

        var lines = bytes is null ? new List<string>() : TextFile.Lines(Encoding.UTF8.GetString(bytes)).Select(l => l.Trim()).ToList();
        var fileValues = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';') || !line.Contains('=')) continue;
            var eq = line.IndexOf('=');
            fileValues[line[..eq].Trim()] = line[(eq + 1)..].Trim();
        }
        var fileValue = fileValues.GetValueOrDefault(name);

        var changed = false;
        var writeFile = false;
        var setProc = false;
        if (fileValue is null) { changed = writeFile = present; }
        else if (!present) { changed = writeFile = fileValue.Length > 0; }
        else if (fileValue != value) changed = writeFile = true;
        else if (a.Bool("reload") && !SameWords(procValue, value)) changed = true;
        if (a.Bool("sysctl_set") && present && !SameWords(procValue, value))
        {
            changed = true;
            setProc = procValue is not null;
        }

        var plan = new Plan { Changed = changed };
        var ignore = a.Bool("ignoreerrors");
        if (setProc)
            plan.Add(new RunStep(Argv.Of("env", "LANG=C", "LC_ALL=C", "sysctl").AddIf(ignore, "-e").Add("-w", $"{name}={value}"))
                { FailMessage = $"setting {name} failed: {{stdout}}{{stderr}}" });
        if (writeFile) plan.Add(new PutFileStep(file, Encoding.UTF8.GetBytes(string.Concat(Fixed(lines, name, value, present).Select(l => l.Trim() + "\n")))));
        if (changed && a.Bool("reload"))
            plan.Add(new RunStep(Argv.Of("env", "LANG=C", "LC_ALL=C", "sysctl").AddIf(ignore, "-e").Add("-p", file))
                { FailMessage = "Failed to reload sysctl: {stdout}{stderr}" });
        return plan;
    }

    /// <summary>Ansible's fix_lines: comments and blanks kept, each key once (the first), NAME set or dropped, NAME appended when new.</summary>
    private static List<string> Fixed(List<string> lines, string name, string value, bool present)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var line in lines)
        {
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith(';') || !line.Contains('=')) { result.Add(line); continue; }
            var eq = line.IndexOf('=');
            var (k, v) = (line[..eq].Trim(), line[(eq + 1)..].Trim());
            if (!seen.Add(k)) continue;
            if (k != name) result.Add($"{k}={v}");
            else if (present) result.Add($"{k}={value}");
        }
        if (!seen.Contains(name) && present) result.Add($"{name}={value}");
        return result;
    }

    private static string ParseValue(string? value) =>
        value is null ? "" : True.Contains(value.ToLowerInvariant()) ? "1" : False.Contains(value.ToLowerInvariant()) ? "0" : value.Trim();

    private static bool SameWords(string? a, string? b) =>
        a is not null && b is not null && a.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .SequenceEqual(b.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
