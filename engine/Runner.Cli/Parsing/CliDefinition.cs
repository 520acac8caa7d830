using System.CommandLine;
using System.CommandLine.Parsing;

namespace Runner.Cli.Parsing;

/// <summary>
/// One command of the CLI (<c>runner play</c>, <c>runner vault view</c>, ...) on System.CommandLine, behaving as
/// Ansible's argparse parsers do: POSIX bundling (<c>-vvv</c>, <c>-Cv</c>, <c>-f5</c>), <c>--opt=value</c>, no
/// response files (so <c>-e @vars.yml</c> and <c>-l @hosts.txt</c> reach the command), <c>-h/--help</c> on every
/// command, and every refused command line a <see cref="UsageError"/> with argparse's message (exit 2).
/// System.CommandLine was chosen over Spectre.Console.Cli because it is a parser only (no console rendering to
/// work around), supports POSIX bundling and <c>--opt=value</c> as argparse does, reports each error with the
/// symbol it concerns (so the messages can be argparse's), and is the .NET team's library, trimming/AOT-safe.
/// </summary>
public sealed class CliDefinition
{
    private static readonly ParserConfiguration Config = new() { EnablePosixBundling = true, ResponseFileTokenReplacer = null };

    private readonly List<IAnsibleOption> _options = new();
    private readonly List<(Argument Argument, string Metavar, string Help)> _positionals = new();
    private readonly List<CliDefinition> _subcommands = new();
    private readonly List<(IAnsibleOption A, IAnsibleOption B)> _exclusive = new();
    private CliDefinition? _parent;

    /// <summary>A command called <paramref name="prog"/> ("runner play"); its last word is the command's name.</summary>
    public CliDefinition(string prog, string description)
    {
        Prog = prog;
        Description = description;
        Command = new Command(prog.Split(' ')[^1], description);
        Command.SetAction(_ => 0); // a command with subcommands may be named alone; its caller decides
        HelpFlag = Add(Opt.Flag("show this help message and exit", "-h", "--help"));
    }

    /// <summary>The program name shown in usage and error lines.</summary>
    public string Prog { get; }

    /// <summary>The command's name (the last word of <see cref="Prog"/>).</summary>
    public string Name => Command.Name;

    /// <summary>The help's description paragraph.</summary>
    public string Description { get; }

    /// <summary>A paragraph the help ends with, or null.</summary>
    public string? Epilog { get; init; }

    /// <summary>The System.CommandLine command.</summary>
    public Command Command { get; }

    /// <summary>-h/--help.</summary>
    public AnsibleOption<bool> HelpFlag { get; }

    /// <summary>The options in declaration order (help and usage list them so).</summary>
    public IReadOnlyList<IAnsibleOption> Options => _options;

    /// <summary>The positional arguments: System.CommandLine's argument, its metavar and help.</summary>
    public IReadOnlyList<(Argument Argument, string Metavar, string Help)> Positionals => _positionals;

    /// <summary>The subcommands (vault's actions).</summary>
    public IReadOnlyList<CliDefinition> Subcommands => _subcommands;

    /// <summary>Pairs of options that exclude each other (argparse's mutually exclusive groups).</summary>
    public IReadOnlyList<(IAnsibleOption A, IAnsibleOption B)> Exclusive => _exclusive;

    /// <summary>Adds an option; returns it.</summary>
    public T Add<T>(T option) where T : IAnsibleOption
    {
        _options.Add(option);
        Command.Add(option.Option);
        return option;
    }

    /// <summary>Adds a positional argument taking <paramref name="arity"/> values (at least two at most); returns it.</summary>
    public Argument<List<string>> PositionalList(string metavar, ArgumentArity arity, string help) =>
        AddPositional(new Argument<List<string>>(metavar) { Arity = arity }, metavar, help);

    /// <summary>Adds a positional argument taking one value or none (argparse's nargs='?'); returns it.</summary>
    public Argument<string> OptionalPositional(string metavar, string help) =>
        AddPositional(new Argument<string>(metavar) { Arity = ArgumentArity.ZeroOrOne }, metavar, help);

    /// <summary>Adds a positional argument taking exactly one value; returns it.</summary>
    public Argument<string> Positional(string metavar, string help) =>
        AddPositional(new Argument<string>(metavar) { Arity = ArgumentArity.ExactlyOne }, metavar, help);

    private T AddPositional<T>(T a, string metavar, string help) where T : Argument
    {
        a.Description = help;
        a.HelpName = metavar;
        _positionals.Add((a, metavar, help));
        Command.Add(a);
        return a;
    }

    /// <summary>Adds a subcommand; returns it.</summary>
    public CliDefinition Sub(CliDefinition sub)
    {
        sub._parent = this;
        _subcommands.Add(sub);
        Command.Add(sub.Command);
        return sub;
    }

    /// <summary>Declares <paramref name="a"/> and <paramref name="b"/> mutually exclusive.</summary>
    public void Excludes(IAnsibleOption a, IAnsibleOption b) => _exclusive.Add((a, b));

    /// <summary>"usage: PROG [-h] ..." wrapped at 79 columns as argparse wraps it.</summary>
    public string UsageText => CliHelp.Usage(this);

    /// <summary>The full help (usage, description, arguments, options).</summary>
    public string HelpText => CliHelp.Help(this);

    /// <summary>
    /// Parses <paramref name="argv"/> (the arguments after the command's name). Errors: a <see cref="UsageError"/>
    /// with argparse's first complaint: a bad value in command-line order ("argument -f/--forks: invalid int value:
    /// 'abc'", "argument -i/--inventory/--inventory-file: expected one argument", "argument X: not allowed with
    /// argument Y"), then a missing positional ("the following arguments are required: playbook"), then unknown
    /// options ("unrecognized arguments: --frob").
    /// </summary>
    public CliParse Parse(IReadOnlyList<string> argv)
    {
        var path = new List<string>();
        var top = this;
        for (; top._parent is not null; top = top._parent) path.Insert(0, top.Name);
        path.Insert(0, top.Name);
        argv = Unabbreviate(argv);
        var root = new Command("runner") { top.Command };
        var result = root.Parse(path.Concat(argv).ToList(), Config);
        var leaf = Find(top, result.CommandResult.Command) ?? this;
        if (result.GetResult(leaf.HelpFlag) is { Implicit: false }) return new CliParse(result, leaf, true);
        var error = FirstError(result, leaf, argv);
        // argparse: unknown arguments are refused by the top parser, after every subparser has run
        var by = error is not null && error.StartsWith("unrecognized arguments", StringComparison.Ordinal) ? top : leaf;
        if (error is not null) throw new UsageError(by.Prog, by.UsageText, error);
        return new CliParse(result, leaf, false);
    }

    /// <summary>
    /// argparse's abbreviations: a long option written as an unambiguous prefix of one of the command's long
    /// options (<c>--list-h</c>, <c>--fork=3</c>) stands for it; a prefix of several is refused with argparse's
    /// "ambiguous option: --list could match --list-hosts, --list-tasks, --list-tags". The command is followed into
    /// its subcommands as their names appear.
    /// </summary>
    private IReadOnlyList<string> Unabbreviate(IReadOnlyList<string> argv)
    {
        var d = this;
        var output = new List<string>(argv.Count);
        var rest = false;
        foreach (var raw in argv)
        {
            if (rest || raw == "--") { rest = true; output.Add(raw); continue; }
            if (!raw.StartsWith('-') && d._subcommands.FirstOrDefault(s => s.Name == raw) is { } sub) { d = sub; output.Add(raw); continue; }
            if (!raw.StartsWith("--", StringComparison.Ordinal) || raw.Length == 2) { output.Add(raw); continue; }
            var eq = raw.IndexOf('=');
            var name = eq < 0 ? raw : raw[..eq];
            var names = d._options.SelectMany(o => o.Names).Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToList();
            if (names.Contains(name)) { output.Add(raw); continue; }
            // as argparse, option strings are counted, not options: --vault-pass is ambiguous between two names of one option
            var matches = names.Where(n => n.StartsWith(name, StringComparison.Ordinal)).ToList();
            if (matches.Count == 1) output.Add(matches[0] + (eq < 0 ? "" : raw[eq..]));
            else if (matches.Count > 1) throw new UsageError(d.Prog, d.UsageText, $"ambiguous option: {name} could match {string.Join(", ", matches)}");
            else output.Add(raw);
        }
        return output;
    }

    private static CliDefinition? Find(CliDefinition d, Command c) =>
        d.Command == c ? d : d._subcommands.Select(s => Find(s, c)).FirstOrDefault(x => x is not null);

    private static string? FirstError(ParseResult result, CliDefinition leaf, IReadOnlyList<string> argv)
    {
        var tokens = result.Tokens;
        int Pos(Token? t)
        {
            if (t is null) return int.MaxValue;
            for (var i = 0; i < tokens.Count; i++) if (ReferenceEquals(tokens[i], t)) return i;
            return int.MaxValue;
        }
        var dash = tokens.Select((t, i) => (t, i)).FirstOrDefault(x => x.t.Type == TokenType.DoubleDash, (null!, int.MaxValue)).Item2;
        var found = new List<(int Rank, int Pos, string Message)>();
        var unrecognized = new List<(int Pos, string Text)>();
        var commands = new List<CliDefinition>();
        for (var d = leaf; d is not null; d = d._parent) commands.Add(d);

        foreach (var e in result.Errors)
        {
            switch (e.SymbolResult)
            {
                case OptionResult o:
                    var shown = (o.Option as IAnsibleOption)?.Shown ?? o.Option.Name;
                    var missing = o.Tokens.Count == 0 || e.Message.StartsWith("Required argument missing", StringComparison.Ordinal);
                    found.Add((0, Pos(o.IdentifierToken), missing ? $"argument {shown}: expected one argument" : e.Message));
                    break;
                case ArgumentResult a when a.Tokens.Count == 0:
                    found.Add((1, int.MaxValue, $"the following arguments are required: {a.Argument.Name}"));
                    break;
                case ArgumentResult a when a.Tokens.Count > a.Argument.Arity.MaximumNumberOfValues:
                    unrecognized.AddRange(a.Tokens.Skip(a.Argument.Arity.MaximumNumberOfValues).Select(t => (Pos(t), t.Value)));
                    break;
                case ArgumentResult a:
                    found.Add((0, Pos(a.Tokens[0]), e.Message));
                    break;
                default:
                    break; // unknown tokens: below, from UnmatchedTokens
            }
        }
        var needsAction = leaf.Subcommands.Count > 0 && leaf.Positionals.Count == 0;
        if (needsAction && result.UnmatchedTokens.Count == 0)
            found.Add((1, int.MaxValue, "the following arguments are required: action"));
        foreach (var t in result.UnmatchedTokens)
        {
            var pos = tokens.Select((x, i) => (x, i)).FirstOrDefault(x => x.x.Value == t && x.x.Type == TokenType.Argument, (null!, int.MaxValue)).Item2;
            if (needsAction && !t.StartsWith('-') && unrecognized.Count == 0)
            {
                found.Add((0, pos, $"argument action: invalid choice: '{t}' (choose from {string.Join(", ", leaf.Subcommands.Select(s => $"'{s.Name}'"))})"));
                break;
            }
            unrecognized.Add((pos, t));
        }
        foreach (var d in commands)
        {
            foreach (var (arg, metavar, _) in d._positionals)
                if (result.GetResult(arg) is { } ar)
                {
                    var options = ar.Tokens.Where(t => LooksLikeOption(t.Value) && Pos(t) < dash).ToList();
                    unrecognized.AddRange(options.Select(t => (Pos(t), t.Value)));
                    if (options.Count > 0 && ar.Tokens.Count - options.Count < arg.Arity.MinimumNumberOfValues)
                        found.Add((1, int.MaxValue, $"the following arguments are required: {metavar}"));
                }
            foreach (var opt in d._options)
                if (result.GetResult(opt.Option) is { Implicit: false } or)
                    foreach (var t in or.Tokens)
                        if (LooksLikeOption(t.Value) && !argv.Any(raw => opt.Names.Any(n => raw == $"{n}={t.Value}" || raw == n + t.Value)))
                            found.Add((0, Pos(t) - 1, $"argument {opt.Shown}: expected one argument"));
            foreach (var (a, b) in d._exclusive)
                if (result.GetResult(a.Option) is { Implicit: false } ra && result.GetResult(b.Option) is { Implicit: false } rb)
                {
                    var (first, second, at) = Pos(ra.IdentifierToken) < Pos(rb.IdentifierToken) ? (a, b, Pos(rb.IdentifierToken)) : (b, a, Pos(ra.IdentifierToken));
                    found.Add((0, at, $"argument {second.Shown}: not allowed with argument {first.Shown}"));
                }
        }
        if (unrecognized.Count > 0)
            found.Add((2, 0, "unrecognized arguments: " + string.Join(" ", unrecognized.OrderBy(u => u.Pos).Select(u => u.Text).Distinct())));
        return found.Count == 0 ? null : found.OrderBy(f => f.Rank).ThenBy(f => f.Pos).First().Message;
    }

    /// <summary>argparse's test for "this is an option, not a value": a leading '-', more than one character, and not a negative number.</summary>
    private static bool LooksLikeOption(string s) =>
        s.Length > 1 && s[0] == '-' && !double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);
}
