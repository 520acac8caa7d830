using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// community.general.locale_gen (https://docs.ansible.com/ansible/latest/collections/community/general/locale_gen_module.html),
/// as community.general 6.6.2's plugins/modules/locale_gen.py: name (e.g. de_CH.UTF-8) must be listed in /etc/locale.gen
/// (commented or not; Ubuntu: in /usr/share/i18n/SUPPORTED when /var/lib/locales/supported.d/ exists); it is present
/// when `locale -a` lists it (encodings compared as Ansible's fix_case: .utf8 = .UTF-8, ...). A change uncomments (or
/// comments out) its line in /etc/locale.gen with Ansible's unanchored regex and runs `locale-gen` (Ubuntu: `locale-gen
/// NAME`, or for absent the name dropped from supported.d/local and `locale-gen --purge`). Result: name, changed,
/// msg "OK"; in check mode only changed, as Ansible's. Failures with Ansible's messages: the missing files
/// ('... Is the package "locales" installed?'), "The locale you've entered is not available on your system.",
/// "[Errno N] locale.gen failed to execute, it returned N" with exitValue (a missing locale-gen: "[Errno 2] No such
/// file or directory: 'locale-gen'"), changed false although the file was already edited, as Ansible's.
/// </summary>
public sealed class LocaleGenModule : PlanningModule
{
    private const string LocaleGen = "/etc/locale.gen";
    private const string UbuntuDir = "/var/lib/locales/supported.d/";
    private const string UbuntuLocal = "/var/lib/locales/supported.d/local";
    private const string Supported = "/usr/share/i18n/SUPPORTED";

    private static readonly (string From, string To)[] Normalization =
    {
        (".utf8", ".UTF-8"), (".eucjp", ".EUC-JP"), (".iso885915", ".ISO-8859-15"), (".cp1251", ".CP1251"), (".koi8r", ".KOI8-R"),
        (".armscii8", ".ARMSCII-8"), (".euckr", ".EUC-KR"), (".gbk", ".GBK"), (".gb18030", ".GB18030"), (".euctw", ".EUC-TW"),
    };

    private static readonly ScriptFact<string[]> Locales = new("locale-a", "locale -a", r => r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));

    public override string Name => "locale_gen";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", Required: true),
        new OptionSpec("state", Default: "present", Choices: new[] { "absent", "present" }));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var (name, state) = (ctx.Args.Str("name")!, ctx.Args.Str("state")!);
        var ubuntuDir = new FileStatFact(UbuntuDir, follow: true);
        FileContentFact gen = new(LocaleGen), supported = new(Supported), local = new(UbuntuLocal);
        await ctx.Facts.GetAsync(ct, ubuntuDir, gen, supported, Locales);
        var ubuntu = (await ctx.Facts.GetAsync(ubuntuDir, ct)).Type == "directory";
        var list = await ctx.Facts.GetAsync(ubuntu ? supported : gen, ct);
        if (list is null)
            return Plan.Fail(ubuntu ? $"[Errno 2] No such file or directory: '{Supported}'"
                : "/etc/locale.gen and /var/lib/locales/supported.d/local are missing. Is the package \"locales\" installed?");
        var available = new Regex(ubuntu ? @"^(?<locale>\S+_\S+) (?<charset>\S+)\s*$" : @"^#?\s*(?<locale>\S+_\S+) (?<charset>\S+)\s*$");
        if (!TextFile.Lines(Encoding.UTF8.GetString(list)).Any(l => available.Match(l) is { Success: true } m && m.Groups["locale"].Value == name))
            return Plan.Fail("The locale you've entered is not available on your system.");

        var present = (await ctx.Facts.GetAsync(Locales, ct)).Any(l => FixCase(l) == FixCase(name));
        var changed = present != (state == "present");
        var plan = new Plan
        {
            Result = new Dict { ["name"] = name, ["changed"] = changed, ["msg"] = "OK" }, // Ansible's key order
            CheckModeResult = new Dict(),
            Changed = changed,
        };
        if (!changed) return plan;
        Argv command;
        if (!ubuntu)
        {
            var edited = SetLocale(Encoding.UTF8.GetString(list), name, state == "present", out var error);
            if (edited is null) return Plan.Fail(error!);
            plan.Add(new PutFileStep(LocaleGen, Encoding.UTF8.GetBytes(edited)) { CountsAsChange = false });
            command = Argv.Of("locale-gen");
        }
        else if (state == "present") command = Argv.Of("locale-gen", name);
        else
        {
            var content = await ctx.Facts.GetAsync(local, ct);
            if (content is null) return Plan.Fail($"[Errno 2] No such file or directory: '{UbuntuLocal}'");
            var kept = new StringBuilder();
            foreach (var line in TextFile.Lines(Encoding.UTF8.GetString(content)))
            {
                var parts = line.Split(' ');
                if (parts.Length != 2) return Plan.Fail($"too many values to unpack (expected 2) in {UbuntuLocal}: {line.TrimEnd('\n')}");
                if (parts[0] != name) kept.Append(line);
            }
            plan.Add(new PutFileStep(UbuntuLocal, Encoding.UTF8.GetBytes(kept.ToString())) { CountsAsChange = false });
            command = Argv.Of("locale-gen", "--purge");
        }
        var run = new RunStep($"if command -v locale-gen >/dev/null 2>&1; then {command}; else exit 127; fi") { AnyExitCode = true, CountsAsChange = false };
        plan.Add(run);
        plan.Then = (outcomes, _) => Task.FromResult(outcomes.Last() is { Ran: true, Result: { ExitCode: not 0 and var rc } }
            ? Plan.Fail(rc == 127 ? "[Errno 2] No such file or directory: 'locale-gen'" : $"[Errno {rc}] locale.gen failed to execute, it returned {rc}",
                new Dict { ["exitValue"] = (long)(rc == 127 ? 2 : rc) }, changed: false)
            : Plan.Ok());
        return plan;
    }

    /// <summary>Ansible's set_locale: every line through re.sub('#{0,1}\s*NAME (?P&lt;charset&gt;.+)', '[# ]NAME \g&lt;charset&gt;'), NAME as a pattern.</summary>
    private static string? SetLocale(string text, string name, bool enabled, out string? error)
    {
        var search = PyRegex.Compile($@"#?\s*{name} (?P<charset>.+)", RegexOptions.None, out error);
        if (search is null) return null;
        return string.Concat(TextFile.Lines(text).Select(l => search.Replace(l, m => (enabled ? "" : "# ") + name + " " + m.Groups["charset"].Value)));
    }

    /// <summary>Ansible's fix_case: lower-case encodings as `locale -a` may print them, in their usual spelling.</summary>
    private static string FixCase(string name)
    {
        foreach (var (from, to) in Normalization) name = name.Replace(from, to, StringComparison.Ordinal);
        return name;
    }
}
