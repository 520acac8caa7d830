using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.getent (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/getent_module.html):
/// reads a NSS database with getent and returns it as ansible_facts.getent_DATABASE {first field: [other fields]}
/// (fields split at `split`, ':' for passwd/shadow/group/gshadow, else at whitespace; a key seen again holds a list of
/// records). Never changes anything. Failures as Ansible's: "Missing arguments, or database unknown." (rc 1),
/// "One or more supplied key could not be found in the database." (rc 2; with fail_key=no the key is null and this is
/// the msg), "Enumeration not supported on this database." (rc 3), else "Unexpected failure!".
/// </summary>
public sealed class GetentModule : PlanningModule
{
    private static readonly string[] Colon = { "passwd", "shadow", "group", "gshadow" };

    public override string Name => "getent";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("database", Required: true), new OptionSpec("key"), new OptionSpec("service"), new OptionSpec("split"),
        new OptionSpec("fail_key", OptionType.Bool, Default: true));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var database = a.Str("database")!;
        var key = a.Str("key");
        var split = a.Str("split") ?? (Colon.Contains(database) ? ":" : null);
        var r = await ctx.Facts.GetAsync(new GetentFact(database, key, a.Str("service")), ct);
        var tree = new Dict();
        var facts = new Dict { ["getent_" + database] = tree };
        switch (r.ExitCode)
        {
            case 0:
                var seen = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var line in r.Stdout.Split('\n').SkipLast(r.Stdout.EndsWith('\n') ? 1 : 0))
                {
                    var record = split is null ? line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : line.Split(split);
                    var first = record.Length > 0 ? record[0] : "";
                    var rest = record.Skip(1).Cast<object?>().ToList();
                    if (seen.TryGetValue(first, out var n))
                    {
                        if (n == 1) tree[first] = new List<object?> { tree[first] };
                        ((List<object?>)tree[first]!).Add(rest);
                        seen[first] = n + 1;
                    }
                    else { tree[first] = rest; seen[first] = 1; }
                }
                return Plan.Ok(new Dict { ["ansible_facts"] = facts });
            case 1: return Plan.Fail("Missing arguments, or database unknown.");
            case 2:
                const string missing = "One or more supplied key could not be found in the database.";
                if (a.Bool("fail_key")) return Plan.Fail(missing);
                tree[key ?? "null"] = null;
                return Plan.Ok(new Dict { ["ansible_facts"] = facts, ["msg"] = missing });
            case 3: return Plan.Fail("Enumeration not supported on this database.");
            default: return Plan.Fail("Unexpected failure!");
        }
    }
}
