using Runner.Engine.Errors;

namespace Runner.Cli;

/// <summary>
/// The options of `runner play`, spelled as ansible-playbook's
/// (https://docs.ansible.com/ansible/latest/cli/ansible-playbook.html). Bad options: exit code 5.
/// </summary>
public sealed class PlayArguments
{
    public List<string> Playbooks { get; } = new();
    public List<string> Inventories { get; } = new();
    public string? Limit { get; set; }
    public List<string> Tags { get; } = new();
    public List<string> SkipTags { get; } = new();
    public bool Check { get; set; }
    public bool Diff { get; set; }
    public List<string> ExtraVars { get; } = new();
    public int? Forks { get; set; }
    public int Verbosity { get; set; }
    public bool ListHosts { get; set; }
    public bool ListTasks { get; set; }
    public bool ListTags { get; set; }
    public bool SyntaxCheck { get; set; }
    /// <summary>-h/--help: print the usage and exit 0.</summary>
    public bool Help { get; set; }
    public string? StartAtTask { get; set; }
    public bool ForceHandlers { get; set; }
    public bool? Become { get; set; }
    public string? BecomeUser { get; set; }
    public string? BecomeMethod { get; set; }
    public bool AskBecomePass { get; set; }
    public string? User { get; set; }
    public string? PrivateKey { get; set; }
    public string? Connection { get; set; }
    public string? StdoutCallback { get; set; }
    public int? Timeout { get; set; }
    /// <summary>--vault-id, --vault-password-file, --ask-vault-pass.</summary>
    public Runner.Engine.Vault.VaultOptions Vault { get; } = new();

    /// <summary>Parses the arguments after `play`.</summary>
    public static PlayArguments Parse(IReadOnlyList<string> args)
    {
        var a = new PlayArguments();
        for (var i = 0; i < args.Count; i++)
        {
            if (VaultArguments.TryTake(args, ref i, a.Vault)) continue;
            var arg = args[i];
            string? inlineValue = null;
            if (arg.StartsWith("--") && arg.Contains('='))
            {
                inlineValue = arg[(arg.IndexOf('=') + 1)..];
                arg = arg[..arg.IndexOf('=')];
            }
            string Value()
            {
                if (inlineValue is not null) return inlineValue;
                if (i + 1 >= args.Count) throw new RunnerException($"option {arg} needs a value", exitCode: ExitCodes.BadCommandLine);
                return args[++i];
            }
            switch (arg)
            {
                case "-i": case "--inventory": case "--inventory-file": a.Inventories.Add(Value()); break;
                case "-l": case "--limit": a.Limit = Value(); break;
                case "-t": case "--tags": a.Tags.Add(Value()); break;
                case "--skip-tags": a.SkipTags.Add(Value()); break;
                case "-C": case "--check": a.Check = true; break;
                case "-D": case "--diff": a.Diff = true; break;
                case "-e": case "--extra-vars": a.ExtraVars.Add(Value()); break;
                case "-f": case "--forks":
                    a.Forks = int.TryParse(Value(), out var f) && f > 0 ? f : throw new RunnerException("--forks needs a positive number", exitCode: ExitCodes.BadCommandLine);
                    break;
                case "-v": a.Verbosity = Math.Max(a.Verbosity, 1); break;
                case "-vv": a.Verbosity = Math.Max(a.Verbosity, 2); break;
                case "-vvv": a.Verbosity = Math.Max(a.Verbosity, 3); break;
                case "-vvvv": a.Verbosity = Math.Max(a.Verbosity, 4); break;
                case "--verbose": a.Verbosity++; break;
                case "--list-hosts": a.ListHosts = true; break;
                case "--list-tasks": a.ListTasks = true; break;
                case "--list-tags": a.ListTags = true; break;
                case "--syntax-check": a.SyntaxCheck = true; break;
                case "-h": case "--help": a.Help = true; return a;
                case "--start-at-task": a.StartAtTask = Value(); break;
                case "--force-handlers": a.ForceHandlers = true; break;
                case "-b": case "--become": a.Become = true; break;
                case "--become-user": a.BecomeUser = Value(); break;
                case "--become-method": a.BecomeMethod = Value(); break;
                case "-K": case "--ask-become-pass": a.AskBecomePass = true; break;
                case "-u": case "--user": a.User = Value(); break;
                case "--private-key": case "--key-file": a.PrivateKey = Value(); break;
                case "-c": case "--connection": a.Connection = Value(); break;
                case "-T": case "--timeout":
                    a.Timeout = int.TryParse(Value(), out var t) ? t : throw new RunnerException($"argument -T/--timeout: invalid int value: '{args[i]}'", exitCode: ExitCodes.BadCommandLine);
                    break;
                case "--stdout-callback": a.StdoutCallback = Value(); break;
                default:
                    if (arg.StartsWith('-') && arg.Length > 1)
                        throw new RunnerException($"unrecognized arguments: {arg}", exitCode: ExitCodes.BadCommandLine);
                    a.Playbooks.Add(arg);
                    break;
            }
        }
        if (a.Playbooks.Count == 0) throw new RunnerException("the following arguments are required: playbook", exitCode: ExitCodes.BadCommandLine);
        return a;
    }
}
