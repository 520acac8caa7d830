using System.CommandLine;
using System.CommandLine.Parsing;

namespace Runner.Cli.Parsing;

/// <summary>
/// A command line accepted by a <see cref="CliDefinition"/>: typed access to its options in argparse's terms
/// (store: the last occurrence wins; append: every occurrence; count: how often a flag was given).
/// </summary>
public sealed class CliParse
{
    private readonly ParseResult _result;

    internal CliParse(ParseResult result, CliDefinition leaf, bool help)
    {
        _result = result;
        Leaf = leaf;
        Help = help;
    }

    /// <summary>The (sub)command that was selected, e.g. the vault action.</summary>
    public CliDefinition Leaf { get; }

    /// <summary>-h/--help was given: the caller prints <see cref="CliDefinition.HelpText"/> of <see cref="Leaf"/> and exits 0.</summary>
    public bool Help { get; }

    /// <summary>Whether the flag was given (at least once).</summary>
    public bool Flag(AnsibleOption<bool> o) => _result.GetResult(o) is { Implicit: false };

    /// <summary>How many times the flag was given (-vvv is 3, -v -v 2).</summary>
    public int Count(AnsibleOption<bool> o) => _result.GetResult(o) is { Implicit: false } r ? r.IdentifierTokenCount : 0;

    /// <summary>The last value given (argparse's "store"), or null.</summary>
    public string? Last(AnsibleOption<List<string>> o) => All(o).LastOrDefault();

    /// <summary>Every value given, in order (argparse's "append").</summary>
    public List<string> All(AnsibleOption<List<string>> o) => _result.GetResult(o) is { Implicit: false } ? _result.GetValue(o) ?? new() : new();

    /// <summary>The last integer given, or null.</summary>
    public int? Last(AnsibleOption<List<int>> o) =>
        _result.GetResult(o) is { Implicit: false } && _result.GetValue(o) is { Count: > 0 } v ? v[^1] : null;

    /// <summary>The positional values.</summary>
    public List<string> Values(Argument<List<string>> a) => _result.GetValue(a) ?? new();

    /// <summary>The value of a positional taking one.</summary>
    public string Value(Argument<string> a) => _result.GetValue(a) ?? "";
}
