using Runner.Cli;

namespace Runner.Tests.Cli;

/// <summary>-h/--help on the subcommands prints the argparse-style help (usage first) and exits 0, as ansible-playbook -h does.</summary>
public class HelpTests
{
    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    public async Task Play_help_prints_the_usage(string flag)
    {
        var output = new StringWriter();
        Assert.Equal(0, await PlayCommand.RunAsync(new[] { flag }, output));
        Assert.StartsWith("usage: runner play [-h] [-v]", output.ToString());
        Assert.Contains("playbook [playbook ...]", output.ToString());
        Assert.Contains("-l SUBSET, --limit SUBSET", output.ToString());
    }

    [Fact]
    public async Task Facts_help_prints_the_usage()
    {
        var output = new StringWriter();
        Assert.Equal(0, await FactsCommand.RunAsync(new[] { "--help" }, output));
        Assert.StartsWith("usage: runner facts [-h]", output.ToString());
        Assert.Contains("HOST", output.ToString());
    }
}
