using Runner.Engine.Results;
using Runner.Engine.Values;

namespace Runner.Tests.Engine;

/// <summary>
/// Diff output shaped as Python's difflib.unified_diff and Ansible's callback _get_diff; expected texts are
/// those ansible-playbook 2.14 printed in shared/corpus/cases/007-check-mode-command/expected.txt.
/// </summary>
public class UnifiedDiffTests
{
    [Fact]
    public void New_file_content_diff_as_ansible_prints_it()
    {
        var diff = new Dict { ["before"] = "", ["after"] = "marker\n", ["after_header"] = "/tmp/x" };
        Assert.Equal(new[] { "--- before", "+++ after: /tmp/x", "@@ -0,0 +1 @@", "+marker" }, DiffText.Lines(diff));
    }

    [Fact]
    public void Dict_states_are_json_with_indent_4()
    {
        var diff = new Dict
        {
            ["before"] = new Dict { ["path"] = "/p", ["state"] = "absent" },
            ["after"] = new Dict { ["path"] = "/p", ["state"] = "directory" },
        };
        Assert.Equal(new[]
        {
            "--- before", "+++ after", "@@ -1,4 +1,4 @@", " {", "     \"path\": \"/p\",", "-    \"state\": \"absent\"",
            "+    \"state\": \"directory\"", " }",
        }, DiffText.Lines(diff));
    }

    [Fact]
    public void Equal_texts_give_no_diff() => Assert.Empty(UnifiedDiff.Diff("a\nb\n", "a\nb\n", "before", "after"));

    [Fact]
    public void Distant_changes_make_separate_hunks_with_three_lines_of_context()
    {
        var before = string.Concat(Enumerable.Range(1, 20).Select(i => $"{i}\n"));
        var after = string.Concat(Enumerable.Range(1, 20).Select(i => i == 2 ? "two\n" : i == 19 ? "nineteen\n" : $"{i}\n"));
        var lines = UnifiedDiff.Diff(before, after, "before", "after");
        Assert.Equal(2, lines.Count(l => l.StartsWith("@@")));
        Assert.Contains("@@ -1,5 +1,5 @@", lines);
        Assert.Contains("@@ -16,5 +16,5 @@", lines);
    }

    [Fact]
    public void Missing_final_newline_is_marked()
    {
        var lines = UnifiedDiff.Diff("a\n", "a\nb", "before", "after");
        Assert.Equal(new[] { "--- before", "+++ after", "@@ -1 +1,2 @@", " a", "+b", "\\ No newline at end of file" }, lines);
    }
}
