using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;
using static Runner.Modules.Facts.AlternativesFact;

namespace Runner.Modules.Sys;

/// <summary>
/// community.general.alternatives (https://docs.ansible.com/ansible/latest/collections/community/general/alternatives_module.html):
/// update-alternatives --install (path missing from the group, another priority or other subcommands), --set
/// (state selected, the link points elsewhere), --auto (state auto, group in manual mode), --remove (absent), run
/// with LC_ALL=C. Result as Ansible's: changed, msg (the actions' sentences), diff {before, after} as dicts of
/// state/path/priority/link/subcommands (empty dicts outside diff mode). Failures: "Specified path P does not
/// exist", "Needed to install the alternative, but unable to do so as we are missing the link", a command's stderr.
/// Followers found in the group but not shown with a link (and without subcommands given) keep link null.
/// </summary>
public sealed class AlternativesModule : PlanningModule
{
    public override string Name => "alternatives";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", Required: true),
        new OptionSpec("path", OptionType.Path, Required: true),
        new OptionSpec("link", OptionType.Path),
        new OptionSpec("priority", OptionType.Int),
        new OptionSpec("state", Default: "selected", Choices: new[] { "present", "selected", "absent", "auto" }),
        new OptionSpec("subcommands", OptionType.List, Aliases: new[] { "slaves" }, Elements: OptionType.Dict));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var (name, path, state) = (a.Str("name")!, a.Str("path")!, a.Str("state")!);
        List<Follower>? given = null;
        if (a.Get("subcommands") is List<object?> subs)
        {
            given = new();
            foreach (var s in subs.Cast<Dict>())
            {
                var missing = new[] { "name", "path", "link" }.Where(k => s.Str(k) is null).ToList();
                if (missing.Count > 0) return Plan.Fail($"missing required arguments: {string.Join(", ", missing)} found in subcommands");
                given.Add(new Follower(s.Str("name")!, s.Str("path")!, s.Str("link")));
            }
        }
        var pathStat = new FileStatFact(path, follow: true);
        var groupFact = new AlternativesFact(name);
        await ctx.Facts.GetAsync(ct, groupFact, pathStat);
        var group = await ctx.Facts.GetAsync(groupFact, ct);
        var current = group?.Find(path);
        var link = a.Str("link") ?? group?.Link;
        var priority = a.Has("priority") ? a.Long("priority") : current?.Priority ?? 50;
        var followers = given ?? (current is { Followers.Count: > 0 } ? current.Followers.ToList() : null);

        var before = new Dict();
        if (current is not null)
        {
            before["state"] = group!.Mode == "manual" && group.CurrentPath != path ? "selected" : "present";
            before["path"] = path; before["priority"] = current.Priority; before["link"] = group.Link;
            if (current.Followers.Count > 0) before["subcommands"] = Dicts(current.Followers);
        }
        else before["state"] = "absent";
        var after = new Dict();
        var messages = new List<string>();
        var plan = new Plan { Result = new Dict { ["diff"] = new Dict { ["before"] = new Dict(), ["after"] = new Dict() } } };
        var ua = Argv.Of("env", "LC_ALL=C", "update-alternatives");

        if (state != "absent")
        {
            if (current is null || (a.Has("priority") && current.Priority != a.Long("priority")) ||
                (given is not null && !(current.Followers.All(given.Contains) && given.All(current.Followers.Contains))))
            {
                if (!(await ctx.Facts.GetAsync(pathStat, ct)).Exists) return Plan.Fail($"Specified path {path} does not exist");
                if (string.IsNullOrEmpty(link)) return Plan.Fail("Needed to install the alternative, but unable to do so as we are missing the link");
                var install = ua.Add("--install", link, name, path, priority.ToString());
                if (given is not null) foreach (var f in given) install = install.Add("--slave", f.Link!, f.Name, f.Path);
                plan.Add(new RunStep(install));
                messages.Add($"Install alternative '{path}' for '{name}'.");
                after["state"] = "present"; after["path"] = path; after["priority"] = priority; after["link"] = link;
                if (followers is { Count: > 0 }) after["subcommands"] = Dicts(followers);
            }
            if (state == "selected" && group?.CurrentPath != path)
            {
                plan.Add(new RunStep(ua.Add("--set", name, path)));
                messages.Add($"Set alternative '{path}' for '{name}'.");
                after["state"] = "selected";
            }
            if (state == "auto" && group?.Mode == "manual")
            {
                plan.Add(new RunStep(ua.Add("--auto", name)));
                messages.Add($"Set alternative to auto for '{name}'.");
                after["state"] = "present";
            }
        }
        else if (current is not null)
        {
            plan.Add(new RunStep(ua.Add("--remove", name, path)));
            messages.Add($"Remove alternative '{path}' from '{name}'.");
            after["state"] = "absent";
        }
        plan.Result["msg"] = string.Join(' ', messages);
        plan.Diff = new Dict { ["before"] = before, ["after"] = after };
        return plan;
    }

    private static List<object?> Dicts(IEnumerable<Follower> followers) =>
        followers.Select(f => (object?)new Dict { ["name"] = f.Name, ["path"] = f.Path, ["link"] = f.Link }).ToList();
}
