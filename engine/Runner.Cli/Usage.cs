using Runner.Engine.Errors;

namespace Runner.Cli;

/// <summary>Help text and small commands.</summary>
public static class Usage
{
    public const string Text = """
        usage: runner COMMAND [options]

        commands:
          play PLAYBOOK...     run playbooks (options as ansible-playbook: -i -l -t --skip-tags -C -D -e -f -v
                               --list-hosts --list-tasks --list-tags --syntax-check --start-at-task
                               --force-handlers -b --become-user -u --private-key -c --stdout-callback
                               --vault-id --vault-password-file --ask-vault-pass)
          inventory            show the inventory (--list | --graph | --host HOST) with -i
          vars HOST            show a host's variables (--explain for their origins); vars set/unset edit host_vars
          facts HOST           gather and print a host's facts
          doc MODULE           show a module's options and return values (-l lists the modules, -j as JSON)
          vault ACTION         create|decrypt|edit|view|encrypt|encrypt_string|rekey vaulted files, as ansible-vault
          galaxy ACTION        install|list roles and collections (requirements.yml, paths, tar.gz, git URLs), as ansible-galaxy
          version              print the version

        `runner COMMAND --help` shows a command's options.

        exit codes: 0 ok, 1 error, 2 host failed or a refused command line, 4 unreachable or parser error, 5 bad options, 99 interrupted, 250 unexpected
        """;

    public static int Version()
    {
        Console.WriteLine($"runner {typeof(Usage).Assembly.GetName().Version?.ToString(3)}");
        return ExitCodes.Ok;
    }

    public static int Unknown(string command)
    {
        Console.Error.WriteLine($"ERROR! unknown command '{command}'\n\n{Text}");
        return ExitCodes.BadCommandLine;
    }
}
