using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Kubernetes;
using Runner.Tests.Cloud.Fakes;
using Runner.Tests.Modules;

namespace Runner.Tests.Cloud;

/// <summary>
/// k8s under the plan contract, against the fake API server: the module probes and plans typed API calls, the engine
/// runs them unless in check mode, and attaches the diff only in diff mode. Results in check mode are the would-be
/// objects kubernetes.core reports (create: as sent; merge: live merged with the patch; replace: as sent with the
/// live resourceVersion; delete: the live object).
/// </summary>
public sealed class K8sPlanTests : IDisposable
{
    private readonly FakeKubernetes _k = new();
    private readonly CloudHarness _h = new();
    private readonly K8sModule _m = new();

    public K8sPlanTests() => K8sTests.UseFake(_h, _k);

    public void Dispose() { _k.Dispose(); _h.Dispose(); }

    private static Dict ConfigMap(string name, string a) =>
        D.Of("apiVersion", "v1", "kind", "ConfigMap", "metadata", D.Of("name", name), "data", D.Of("a", a));

    private Task<Dict> Run(Dict definition, bool check = false, bool diff = false, params object?[] extra)
    {
        var args = D.Of("definition", definition, "namespace", "apps");
        foreach (var (k, v) in D.Of(extra)) args[k] = v;
        return _h.Run(_m, args, check, diff);
    }

    /// <summary>Every request that is not a GET (a write), as "METHOD path".</summary>
    private List<string> WriteRequests()
    {
        lock (_k.Requests) return _k.Requests.Where(q => q.Method != "GET").Select(q => $"{q.Method} {q.PathAndQuery}").ToList();
    }

    private static Dict Obj(Dict r) => (Dict)r["result"]!;

    private static object? Data(Dict obj, string key) => ((Dict)obj["data"]!)[key];

    private static object? Meta(Dict obj, string key) => ((Dict)obj["metadata"]!).Get(key);

    [Fact]
    public async Task Under_check_no_write_request_reaches_the_api_and_changed_and_the_would_be_object_are_reported()
    {
        var live = Obj(await Run(ConfigMap("cfg", "1")));
        lock (_k.Requests) _k.Requests.Clear();

        var create = await Run(ConfigMap("new", "1"), check: true);
        Assert.Equal((true, "create"), (create["changed"], create["method"]));
        Assert.Equal(D.Of("name", "new", "namespace", "apps"), Obj(create)["metadata"]);

        var patch = await Run(ConfigMap("cfg", "2"), check: true);
        Assert.Equal((true, "patch"), (patch["changed"], patch["method"]));
        Assert.Equal("2", Data(Obj(patch), "a"));
        Assert.Equal(Meta(live, "uid"), Meta(Obj(patch), "uid"));

        var replace = await Run(ConfigMap("cfg", "2"), check: true, extra: new object?[] { "force", true });
        Assert.Equal((true, "replace"), (replace["changed"], replace["method"]));
        Assert.Equal(Meta(live, "resourceVersion"), Meta(Obj(replace), "resourceVersion"));
        Assert.Null(Meta(Obj(replace), "uid"));

        var delete = await Run(ConfigMap("cfg", "1"), check: true, extra: new object?[] { "state", "absent" });
        Assert.Equal((true, "delete"), (delete["changed"], delete["method"]));
        Assert.Equal(Meta(live, "uid"), Meta(Obj(delete), "uid"));

        var waited = await Run(ConfigMap("other", "1"), check: true, extra: new object?[] { "wait", true, "wait_sleep", 0 });
        Assert.Equal(true, waited["changed"]);
        Assert.False(waited.ContainsKey("duration"));

        Assert.Empty(WriteRequests());
        Assert.Equal(new[] { "configmaps/apps/cfg" }, _k.Objects.Keys);
        Assert.Equal("1", (string)_k.Objects["configmaps/apps/cfg"]["data"]!["a"]!);
    }

    [Theory]
    [InlineData("state", "present")]
    [InlineData("force", true)]
    [InlineData("apply", true)]
    [InlineData("state", "patched")]
    [InlineData("wait", true)]
    public async Task Applying_what_already_holds_makes_no_write(string option, object value)
    {
        Assert.Equal(true, (await Run(ConfigMap("cfg", "1")))["changed"]);
        var writes = WriteRequests();
        Assert.Single(writes);

        var again = await Run(ConfigMap("cfg", "1"), diff: true, extra: new object?[] { option, value, "wait_sleep", 0 });
        Assert.Equal((false, "update"), (again["changed"], again["method"]));
        Assert.False(again.ContainsKey("diff"));
        Assert.Equal("apps", Meta(Obj(again), "namespace"));
        Assert.Equal(writes, WriteRequests());
    }

    [Fact]
    public async Task Diff_mode_shows_before_and_after_of_each_change_and_only_in_diff_mode()
    {
        var create = await Run(ConfigMap("cfg", "1"), diff: true);
        var d1 = (Dict)create["diff"]!;
        Assert.Equal(new Dict(), d1["before"]);
        Assert.Equal(Meta(Obj(create), "uid"), Meta((Dict)d1["after"]!, "uid")); // the API's reply

        var update = await Run(ConfigMap("cfg", "2"), diff: true);
        var d2 = (Dict)update["diff"]!;
        Assert.Equal(("1", "2"), (Data((Dict)d2["before"]!, "a"), Data((Dict)d2["after"]!, "a")));

        var planned = await Run(ConfigMap("cfg", "3"), check: true, diff: true);
        var d3 = (Dict)planned["diff"]!;
        Assert.Equal(("2", "3"), (Data((Dict)d3["before"]!, "a"), Data((Dict)d3["after"]!, "a")));
        Assert.Equal("2", (string)_k.Objects["configmaps/apps/cfg"]["data"]!["a"]!);

        var quiet = await Run(ConfigMap("cfg", "5"));
        Assert.Equal(true, quiet["changed"]);
        Assert.False(quiet.ContainsKey("diff"));

        var delete = await Run(ConfigMap("cfg", "5"), diff: true, extra: new object?[] { "state", "absent" });
        var d4 = (Dict)delete["diff"]!;
        Assert.Equal("5", Data((Dict)d4["before"]!, "a"));
        Assert.Equal(new Dict(), d4["after"]);
        Assert.False(_k.Objects.ContainsKey("configmaps/apps/cfg"));
    }

    [Fact]
    public async Task Several_objects_report_one_result_each_and_a_list_of_the_changed_ones_diffs()
    {
        await Run(ConfigMap("one", "1"));
        var r = await _h.Run(_m, D.Of("definition", new List<object?> { ConfigMap("one", "1"), ConfigMap("two", "2") }, "namespace", "apps"), diff: true);
        Assert.Equal(true, r["changed"]);
        var results = ((List<object?>)Obj(r)["results"]!).Cast<Dict>().ToList();
        Assert.Equal(new object?[] { false, true }, results.Select(x => x["changed"]));
        Assert.Equal(new object?[] { "update", "create" }, results.Select(x => x["method"]));
        var diff = Assert.Single((List<object?>)r["diff"]!);
        Assert.Equal("two", Meta((Dict)((Dict)diff!)["after"]!, "name"));
        Assert.Equal(new[] { "POST /api/v1/namespaces/apps/configmaps", "POST /api/v1/namespaces/apps/configmaps" }, WriteRequests());
    }

    [Fact]
    public async Task The_plan_is_typed_api_calls_a_wait_that_is_no_change_and_nothing_runs_while_planning()
    {
        await Run(ConfigMap("cfg", "1"));
        var writes = WriteRequests();
        var ctx = _h.Context(_m, D.Of("definition", ConfigMap("cfg", "2"), "namespace", "apps", "wait", true));
        var plan = await PlanRunner.PlanAsync(_m, ctx, default);
        try
        {
            Assert.All(plan.Steps, s => Assert.IsType<CallStep>(s));
            Assert.Equal(new[] { "merge-patch ConfigMap apps/cfg", "wait for ConfigMap apps/cfg" }, plan.Steps.Select(s => s.Describe()));
            Assert.Equal(new[] { true, false }, plan.Steps.Select(s => s.CountsAsChange));
            Assert.Equal(writes, WriteRequests());
        }
        finally { await PlanRunner.ReleaseAsync(plan); }
    }

    [Fact]
    public async Task Patching_a_missing_object_warns_and_changes_nothing()
    {
        var r = await Run(ConfigMap("cfg", "1"), extra: new object?[] { "state", "patched" });
        Assert.Equal(false, r["changed"]);
        Assert.Equal(new List<object?> { "resource ConfigMap apps/cfg does not exist, cannot patch it" }, r["warnings"]);
        Assert.Empty(WriteRequests());
    }

    [Fact]
    public async Task A_wait_that_fails_after_the_create_reports_changed()
    {
        _k.FailJobs = true;
        var job = D.Of("apiVersion", "batch/v1", "kind", "Job", "metadata", D.Of("name", "j"),
            "spec", D.Of("template", D.Of("spec", D.Of("containers", new List<object?>()))));
        var r = await Run(job, extra: new object?[] { "wait", true, "wait_sleep", 0 });
        Assert.Equal((true, true), (r["failed"], r["changed"]));
        Assert.StartsWith("Job apps/j failed: BackoffLimitExceeded", (string)r["msg"]!);
        Assert.Equal(new[] { "POST /apis/batch/v1/namespaces/apps/jobs" }, WriteRequests());
    }
}
