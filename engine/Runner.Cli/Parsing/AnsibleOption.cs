using System.CommandLine;

namespace Runner.Cli.Parsing;

/// <summary>What argparse shows of an option: its names in the order declared, its metavar and its help.</summary>
public interface IAnsibleOption
{
    /// <summary>The option strings as declared, e.g. ["-i", "--inventory", "--inventory-file"].</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The names joined as argparse's error lines show them: "-i/--inventory/--inventory-file".</summary>
    string Shown { get; }

    /// <summary>The value's placeholder in usage and help ("INVENTORY"), null for a flag.</summary>
    string? Metavar { get; }

    /// <summary>The help text.</summary>
    string Help { get; }

    /// <summary>The System.CommandLine option.</summary>
    Option Option { get; }
}

/// <summary>
/// A System.CommandLine option spelled as Ansible's argparse option: every name of <see cref="Names"/> is accepted
/// (<c>-f 5</c>, <c>-f5</c>, <c>--forks 5</c>, <c>--forks=5</c>; short flags bundle: <c>-vvv</c>, <c>-Cv</c>). Options
/// with a value keep every occurrence (<typeparamref name="T"/> is a list); <see cref="CliParse"/> gives the last
/// one for argparse's "store" options and all of them for "append" ones. Build them with <see cref="Opt"/>.
/// </summary>
public sealed class AnsibleOption<T> : Option<T>, IAnsibleOption
{
    /// <summary>An option named <paramref name="names"/> (the first is System.CommandLine's name, the rest aliases).</summary>
    public AnsibleOption(string? metavar, string help, string[] names) : base(names[0], names[1..])
    {
        Names = names;
        Metavar = metavar;
        Help = help;
        Description = help;
        HelpName = metavar;
    }

    public IReadOnlyList<string> Names { get; }
    public string Shown => string.Join("/", Names);
    public string? Metavar { get; }
    public string Help { get; }
    Option IAnsibleOption.Option => this;
}

/// <summary>Factories of the option kinds Ansible's CLIs use.</summary>
public static class Opt
{
    /// <summary>A flag (argparse store_true / count): no value; may be repeated.</summary>
    public static AnsibleOption<bool> Flag(string help, params string[] names) =>
        new(null, help, names) { Arity = ArgumentArity.Zero };

    /// <summary>An option with one string value per occurrence.</summary>
    public static AnsibleOption<List<string>> Text(string metavar, string help, params string[] names) =>
        new(metavar, help, names) { Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };

    /// <summary>An option with one integer value per occurrence; a value that is not an integer is argparse's
    /// "argument -f/--forks: invalid int value: 'abc'".</summary>
    public static AnsibleOption<List<int>> Int(string metavar, string help, params string[] names)
    {
        var shown = string.Join("/", names);
        return new AnsibleOption<List<int>>(metavar, help, names)
        {
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
            CustomParser = r =>
            {
                var values = new List<int>();
                foreach (var t in r.Tokens)
                {
                    if (int.TryParse(t.Value.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var v)) values.Add(v);
                    else { r.AddError($"argument {shown}: invalid int value: '{t.Value}'"); break; }
                }
                return values;
            },
        };
    }
}
