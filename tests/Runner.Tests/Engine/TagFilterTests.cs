using Runner.Engine.Execution;

namespace Runner.Tests.Engine;

/// <summary>
/// Tag selection against Ansible 2.14's observed results: shared/corpus/cases/002-tags-never-always and
/// 003-skip-tags (expected.txt there was recorded with ansible-playbook 2.14.18).
/// </summary>
public class TagFilterTests
{
    private static readonly Dictionary<string, string[]> Case002Tasks = new()
    {
        ["tagged always"] = new[] { "always" },
        ["untagged"] = Array.Empty<string>(),
        ["tagged deploy"] = new[] { "deploy" },
        ["tagged never and debug"] = new[] { "never", "debug" },
        ["tagged never only"] = new[] { "never" },
    };

    [Theory]
    [InlineData("", "", "tagged always,untagged,tagged deploy")]
    [InlineData("deploy", "", "tagged always,tagged deploy")]
    [InlineData("debug", "", "tagged always,tagged never and debug")]
    [InlineData("all", "", "tagged always,untagged,tagged deploy")]
    [InlineData("never", "", "tagged always,tagged never and debug,tagged never only")]
    [InlineData("untagged", "", "tagged always,untagged")]
    [InlineData("", "always", "untagged,tagged deploy")]
    public void Case002_never_and_always(string only, string skip, string expected)
    {
        var filter = new TagFilter(only.Length > 0 ? new[] { only } : Array.Empty<string>(), skip.Length > 0 ? new[] { skip } : Array.Empty<string>());
        var ran = Case002Tasks.Where(t => filter.ShouldRun(t.Value)).Select(t => t.Key);
        Assert.Equal(expected, string.Join(",", ran));
    }

    private static readonly Dictionary<string, string[]> Case003Tasks = new()
    {
        ["Gathering Facts"] = new[] { "always" },
        ["were facts gathered"] = Array.Empty<string>(),
        ["tagged always and b"] = new[] { "always", "b" },
        ["tagged a and b"] = new[] { "a", "b" },
        ["tagged a"] = new[] { "a" },
        ["untagged"] = Array.Empty<string>(),
        ["inside block tagged b (inherits b)"] = new[] { "b" },
    };

    [Theory]
    [InlineData("", "b", "Gathering Facts,were facts gathered,tagged a,untagged")]
    [InlineData("a", "b", "Gathering Facts,tagged a")]
    [InlineData("", "always", "were facts gathered,tagged a and b,tagged a,untagged,inside block tagged b (inherits b)")]
    [InlineData("", "tagged", "were facts gathered,untagged")]
    [InlineData("", "untagged", "Gathering Facts,tagged always and b,tagged a and b,tagged a,inside block tagged b (inherits b)")]
    public void Case003_skip_tags(string only, string skip, string expected)
    {
        var filter = new TagFilter(only.Length > 0 ? new[] { only } : Array.Empty<string>(), new[] { skip });
        var ran = Case003Tasks.Where(t => filter.ShouldRun(t.Value)).Select(t => t.Key);
        Assert.Equal(expected, string.Join(",", ran));
    }

    [Fact]
    public void Comma_separated_tags_are_split()
    {
        var filter = new TagFilter(new[] { "x,deploy" }, Array.Empty<string>());
        Assert.True(filter.ShouldRun(new[] { "deploy" }));
        Assert.False(filter.ShouldRun(new[] { "other" }));
    }
}
