using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Modules;

namespace Runner.Tests.Modules;

/// <summary>
/// Data-driven module tests, as pyinfra's tests/operations: every case in Modules/Specs/*.yml gives a module's
/// arguments and what the host's probes return, and expects the commands the module runs (none in check mode), its
/// result (the keys given, compared exactly) and its diff. They run through the engine's module path (argument
/// validation, <see cref="PlanRunner"/>) on a <see cref="RecordingConnection"/>: no host, milliseconds.
/// Case keys: name, module, args, check (false), diff (false), facts {KEY: output or [outputs in turn]} where an
/// output is a string (stdout, rc 0), {rc, stdout, stderr} or {unreachable: MESSAGE} (the host cannot be reached); replies {SCRIPT: output or [outputs in turn]}; commands [SCRIPT...];
/// probes [KEY...] (optional: the facts read, in order, cached ones once); result {...}; result_matches {KEY: REGEX} (measured values, such as a real duration); absent [KEY...];
/// diff_result (the diff expected; arguments the validator refuses give {failed, msg}); planned {paths: [...], groups: [...]}
/// (what earlier check-mode tasks created); vars {NAME: value} (the task's variables); ssh {HOSTVAR: value} (the
/// connection's SSH settings, as SshSettings.FromHostVars reads them: the connection is then SSH). Commands a module
/// runs on the controller (synchronize's rsync) are recorded and answered as the target's. Controller files (copy's and
/// template's src) are found in Specs/files and Specs/templates. The task's action is the case's module as written; an
/// action's own error (<see cref="ActionError"/>) gives {failed, msg} as the engine does. Connection resets are logged
/// among the commands as "reset" (see <see cref="RecordingConnection.Log"/>).
/// </summary>
public class ModuleSpecTests
{
    private static readonly string SpecDir = Path.Combine(AppContext.BaseDirectory, "Modules", "Specs");

    public static IEnumerable<object[]> Cases() =>
        Directory.GetFiles(SpecDir, "*.yml").OrderBy(f => f, StringComparer.Ordinal)
            .SelectMany(f => ((List<object?>)YamlLoader.LoadFile(f)!).Cast<Dict>()
                .Select(c => new object[] { Path.GetFileNameWithoutExtension(f), (string)c["name"]! }));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Module_behaves_as_its_spec_says(string file, string name)
    {
        var spec = ((List<object?>)YamlLoader.LoadFile(Path.Combine(SpecDir, file + ".yml"))!).Cast<Dict>().Single(c => (string)c["name"]! == name);
        var module = BuiltinModules.CreateRegistry().Find((string)spec["module"]!) ?? throw new Xunit.Sdk.XunitException($"no module {spec["module"]}");
        var connection = new RecordingConnection();
        foreach (var (script, reply) in spec.GetValueOrDefault("replies") as Dict ?? new Dict())
        {
            if (reply is List<object?> turns) connection.RepliesInTurn[script] = new Queue<CommandResult>(turns.Select(Output));
            else connection.Replies[script] = Output(reply);
        }
        var facts = new RecordedFacts();
        foreach (var (key, outputs) in spec.GetValueOrDefault("facts") as Dict ?? new Dict())
            facts.Add(key, outputs is List<object?> l ? l.Select(Output) : new[] { Output(outputs) });
        var planned = new PlannedState();
        if (spec.GetValueOrDefault("planned") is Dict p)
        {
            foreach (var path in p.GetValueOrDefault("paths") as List<object?> ?? new()) planned.AddPath((string)path!);
            foreach (var g in p.GetValueOrDefault("groups") as List<object?> ?? new()) planned.AddGroup((string)g!);
        }

        var shown = new List<string>();
        var warned = new List<string>();
        Dict args;
        try { args = ArgumentValidator.Validate(module.Spec, spec.GetValueOrDefault("args") as Dict ?? new Dict(), module.Name); }
        catch (ModuleArgumentException e)
        {
            // the engine fails the task with the validator's message (Ansible's), before the module runs
            Check(spec, connection, facts, new Dict(new Dict { ["failed"] = true, ["msg"] = e.Message }.Concat(module.Spec.ArgumentErrorFields ?? new Dict())));
            return;
        }
        var ctx = new ModuleContext
        {
            Connection = connection,
            Args = args,
            CheckMode = Data.Truthy(spec.GetValueOrDefault("check")),
            DiffMode = Data.Truthy(spec.GetValueOrDefault("diff")),
            Templar = new Templar(),
            Variables = new DictionaryScope((spec.GetValueOrDefault("vars") as Dict ?? new Dict()).ToDictionary(kv => kv.Key, kv => kv.Value), new[] { SpecDir }),
            SearchPaths = new[] { SpecDir },
            Host = "fake",
            Planned = planned,
            FactSource = facts,
            TaskName = spec.GetValueOrDefault("task_name") as string ?? module.Name,
            Action = (string)spec["module"]!,
            Display = text => shown.Add(text),
            Warn = text => warned.Add(text),
            Controller = connection,
            Ssh = spec.GetValueOrDefault("ssh") is Dict ssh ? SshSettings.FromHostVars("fake", ssh) : null,
        };
        Dict result;
        try { result = await module.RunAsync(ctx, CancellationToken.None); }
        catch (ActionError e) { result = new Dict { ["failed"] = true, ["msg"] = e.Message }; } // as TaskRunner reports it
        Check(spec, connection, facts, NoLogCensor.Censor(result, NoLogCensor.Secrets(module.Spec, args)));
        // what a controller-side action printed (pause's prompt) and warned outside its result
        if (spec.GetValueOrDefault("displayed") is List<object?> wantShown) Assert.Equal(wantShown.Select(x => (string)x!), shown);
        if (spec.GetValueOrDefault("warned") is List<object?> wantWarned) Assert.Equal(wantWarned.Select(x => (string)x!), warned);
    }

    private static void Check(Dict spec, RecordingConnection connection, RecordedFacts facts, Dict result)
    {
        var expectedCommands = (spec.GetValueOrDefault("commands") as List<object?> ?? new()).Select(c => (string)c!).ToList();
        Assert.Equal(expectedCommands, connection.Log);
        if (spec.GetValueOrDefault("probes") is List<object?> probes) Assert.Equal(probes.Select(x => (string)x!), facts.Probed);
        foreach (var (key, want) in spec.GetValueOrDefault("result") as Dict ?? new Dict())
        {
            Assert.True(result.ContainsKey(key), $"result lacks {key}: {Json(result)}");
            Assert.Equal(Json(want), Json(result[key]));
        }
        // a measured value (pause's real duration) is matched by a regular expression, not an exact value
        foreach (var (key, pattern) in spec.GetValueOrDefault("result_matches") as Dict ?? new Dict())
        {
            Assert.True(result.ContainsKey(key), $"result lacks {key}: {Json(result)}");
            Assert.Matches((string)pattern!, Convert.ToString(result[key], System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }
        foreach (var key in spec.GetValueOrDefault("absent") as List<object?> ?? new())
            Assert.False(result.ContainsKey((string)key!), $"result has {key}: {Json(result)}");
        if (spec.TryGetValue("diff_result", out var diff)) Assert.Equal(Json(diff), Json(result.GetValueOrDefault("diff")));
    }

    private static CommandResult Output(object? o) => o switch
    {
        string s => new CommandResult(0, s, ""),
        Dict d when d.GetValueOrDefault("unreachable") is string why => new CommandResult(RecordingConnection.UnreachableCode, "", why),
        Dict d => new CommandResult(Convert.ToInt32(d.GetValueOrDefault("rc") ?? 0L), d.GetValueOrDefault("stdout") as string ?? "", d.GetValueOrDefault("stderr") as string ?? ""),
        null => new CommandResult(0, "", ""),
        _ => throw new Xunit.Sdk.XunitException($"bad output {o}"),
    };

    private static string Json(object? v) => PyStr.JsonDumps(v, sortKeys: true);
}
