using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Modules;

namespace Runner.Tests.Modules;

/// <summary>
/// Every module has data-driven tests: cases in Modules/Specs/*.yml (under its name or an alias) run by <see cref="ModuleSpecTests"/>, or, for the few
/// that talk to an HTTP API or gather facts, the test class named here (each drives the module through a fake of the
/// API's documented requests and replies, or through recorded probe outputs). A new module without either fails.
/// </summary>
public class ModuleSpecCoverageTests
{
    private static readonly Dictionary<string, string> CoveredElsewhere = new()
    {
        ["aws_caller_info"] = nameof(Cloud.IamRoleTests),
        ["iam_role"] = nameof(Cloud.IamRoleTests),
        ["iam_openid_connect_provider"] = nameof(Cloud.IamOidcProviderTests),
        ["cloudflare_dns"] = nameof(Cloud.CloudflareDnsTests),
        ["k8s"] = nameof(Cloud.K8sPlanTests),
        ["k8s_info"] = nameof(Cloud.K8sPlanTests),
        ["tls_certificate"] = nameof(Cloud.TlsCertificateTests),
        ["setup"] = nameof(Facts.SetupModuleTests),
        ["include_vars"] = nameof(ControllerModuleTests),
        ["validate_argument_spec"] = nameof(Engine.RoleArgumentSpecTests),
    };

    [Fact]
    public void Every_module_has_a_spec_file_or_a_named_test_class()
    {
        var specDir = Path.Combine(AppContext.BaseDirectory, "Modules", "Specs");
        var specified = Directory.GetFiles(specDir, "*.yml")
            .SelectMany(f => ((List<object?>)YamlLoader.LoadFile(f)!).Cast<Dict>().Select(c => ((string)c["module"]!).Split('.')[^1]))
            .ToHashSet(StringComparer.Ordinal);
        var missing = BuiltinModules.CreateRegistry().Modules
            .Select(m => m.Names.Append(m.Module.Name).Select(n => n.Split('.')[^1]).Distinct().ToList())
            .Where(names => !names.Any(n => specified.Contains(n) || CoveredElsewhere.ContainsKey(n)))
            .Select(names => names[0])
            .OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "modules without spec cases in Modules/Specs: " + string.Join(", ", missing));
    }
}
