using Runner.Engine.Results;

namespace Runner.Tests.Callbacks;

/// <summary>Warnings wrap as Python's textwrap.wrap at 79 columns (Display.warning); expected lines printed by ansible-playbook 2.14.</summary>
public class WarningTextTests
{
    [Fact]
    public void A_long_warning_wraps_at_79_columns_as_ansible_prints_it() =>
        Assert.Equal("[WARNING]: provided hosts list is empty, only localhost is available. Note that\nthe implicit localhost does not match 'all'",
            WarningText.Format("provided hosts list is empty, only localhost is available. Note that the implicit localhost does not match 'all'"));

    [Fact]
    public void A_short_warning_is_one_line() =>
        Assert.Equal("[WARNING]: No inventory was parsed, only implicit localhost is available",
            WarningText.Format("No inventory was parsed, only implicit localhost is available"));

    [Fact]
    public void A_word_longer_than_a_line_is_cut() =>
        Assert.Equal(new[] { "ab " + new string('x', 6), new string('x', 4) }, WarningText.Wrap("ab " + new string('x', 10), 9));
}
