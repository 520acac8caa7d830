using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>The file module's file, directory and touch states (Ansible's ensure_file_attributes, ensure_directory, execute_touch).</summary>
internal static class FileStates
{
    /// <summary>state=file: only an existing file's attributes change; anything else fails "file (P) is S, cannot continue".</summary>
    public static async Task<Plan> FileAsync(PlanContext ctx, FileState prev, string prevState, bool follow,
        Dict before, Dict after, CancellationToken ct)
    {
        var st = prev;
        if (prevState == "link" && follow)
        {
            st = await ctx.Facts.GetAsync(new FileStatFact(prev.Path, follow: true), ct);
            prevState = FileModule.StateOf(st);
        }
        if (prevState is not ("file" or "hard"))
            return Plan.Fail($"file ({prev.Path}) is {prevState}, cannot continue", new Dict { ["path"] = prev.Path, ["state"] = prevState });
        before.Remove("state");
        after.Remove("state");
        return FileAttrs.Finish(ctx, st, new Dict(), before, after);
    }

    /// <summary>
    /// state=directory: creates missing folders one by one (mode/owner then given to each new one, as Ansible does;
    /// in check mode the result is only path, state and changed), else fixes attributes (recurse: also below).
    /// </summary>
    public static async Task<Plan> DirectoryAsync(PlanContext ctx, FileState prev, string prevState,
        Dict before, Dict after, CancellationToken ct)
    {
        var path = prev.Path;
        if (prevState == "link" && ctx.Args.Bool("follow", true))
        {
            var target = await ctx.Facts.GetAsync(new FileStatFact(path, follow: true), ct);
            if (target.Type == "directory") return FileAttrs.Finish(ctx, target, new Dict(), before, after);
        }
        if (prevState == "absent") return Create(ctx, path, before, after);
        if (prevState != "directory")
            return Plan.Fail($"{path} already exists as a {prevState}", new Dict { ["path"] = path });
        var plan = FileAttrs.Finish(ctx, prev, new Dict(), before, after);
        if (ctx.Args.Bool("recurse"))
        {
            // a bad name or mode fails in Finish already, before anything below is touched
            var (steps, error) = await FileRecurse.PlanAsync(ctx, path, ct);
            if (error is null) plan.Steps.AddRange(steps);
        }
        return plan;
    }

    private static Plan Create(PlanContext ctx, string path, Dict before, Dict after)
    {
        var sb = new StringBuilder("set -e\n");
        sb.Append($"p={ShellQuote.Quote(path)}\n");
        sb.Append("case \"$p\" in /*) cur=;; *) cur=.;; esac\n");
        sb.Append("IFS=/; set -f; for part in $p; do [ -z \"$part\" ] && continue; cur=\"$cur/$part\"; ");
        // As Ansible's file module: a folder someone else created meanwhile (EEXIST and a directory) is no error.
        sb.Append("if [ ! -e \"$cur\" ]; then if mkdir -- \"$cur\" 2>/dev/null; then echo \"$cur\"; elif [ ! -d \"$cur\" ]; then mkdir -- \"$cur\"; fi; fi; done\n");
        var mkdir = new RunStep(sb.ToString())
        {
            FailMessage = $"There was an issue creating {path} as requested: {{stderr}}", Creates = new Planned.File(path),
        };
        var plan = new Plan
        {
            Result = new Dict { ["path"] = path },
            CheckModeResult = new Dict { ["path"] = path, ["state"] = "directory" },
        }.Add(mkdir);
        plan.Then = async (outcomes, ct) =>
        {
            if (outcomes[0].Result is not { } made) return Plan.Ok(); // not created (check mode): the check-mode result stands
            var created = made.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(d => d.StartsWith("./", StringComparison.Ordinal) ? d[2..] : d).ToList();
            var parents = created.Take(created.Count - 1).Select(d => new FileStatFact(d)).ToList();
            var self = new FileStatFact(path);
            await ctx.Facts.GetAsync(ct, parents.Append(self).ToArray<Engine.Modules.Facts.Fact>());
            var parentSteps = new List<Step>();
            foreach (var parent in parents)
            {
                var (steps, error) = FileAttrs.Compare(ctx.Args, await ctx.Facts.GetAsync(parent, ct));
                parentSteps.AddRange(steps);
                if (error is null) continue;
                var failing = new Plan();
                failing.Steps.AddRange(parentSteps);
                failing.Then = (_, _) => Task.FromResult(Plan.Fail(error, new Dict { ["path"] = path }));
                return failing;
            }
            var finish = FileAttrs.Finish(ctx, await ctx.Facts.GetAsync(self, ct), new Dict(), before, after);
            finish.Steps.InsertRange(0, parentSteps);
            return finish;
        };
        return plan;
    }

    /// <summary>state=touch: creates an empty file or updates its times (changed unless both times are "preserve").</summary>
    public static Plan Touch(PlanContext ctx, FileState prev, Dict before, Dict after)
    {
        var a = ctx.Args;
        var path = prev.Path;
        var preserve = a.Str("modification_time") == "preserve" && a.Str("access_time") == "preserve";
        if (prev.Exists && preserve) return FileAttrs.Finish(ctx, prev, new Dict(), before, after, "dest");
        var touch = Argv.Of("touch")
            .AddIf(prev.Exists && a.Str("modification_time") == "preserve", "-a")
            .AddIf(prev.Exists && a.Str("modification_time") != "preserve" && a.Str("access_time") == "preserve", "-m")
            .Add("--", path);
        var plan = new Plan
        {
            Result = new Dict { ["dest"] = path },
            CheckModeResult = prev.Exists ? null : new Dict { ["dest"] = path },
        }.Add(new RunStep(touch) { FailMessage = "Error, could not touch target: {stderr}", Creates = new Planned.File(path) });
        plan.Then = async (_, ct) =>
        {
            // a new file is read back; one not created (check mode) has no attributes to fix
            var st = prev.Exists ? prev : await ctx.Facts.GetAsync(new FileStatFact(path), ct);
            return st.Exists ? FileAttrs.Finish(ctx, st, new Dict(), before, after, "dest") : Plan.Ok();
        };
        return plan;
    }
}
