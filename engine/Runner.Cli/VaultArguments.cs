using Runner.Engine.Config;
using Runner.Engine.Errors;
using Runner.Engine.Results;
using Runner.Engine.Vault;

namespace Runner.Cli;

/// <summary>
/// The vault options every command that reads YAML takes, as Ansible's opt_help.add_vault_options spells them:
/// --vault-id LABEL@SOURCE (repeatable), --vault-password-file / --vault-pass-file FILE (repeatable),
/// --ask-vault-password / --ask-vault-pass.
/// </summary>
public static class VaultArguments
{
    /// <summary>
    /// Takes the vault option at <c>args[i]</c> into <paramref name="o"/> (advancing <paramref name="i"/> past its value);
    /// false when <c>args[i]</c> is not a vault option. <c>--opt=value</c> is accepted.
    /// Errors: a missing value, exit 2.
    /// </summary>
    public static bool TryTake(IReadOnlyList<string> args, ref int i, VaultOptions o) => TryTake(args, ref i, o, null);

    /// <summary>As <see cref="TryTake(IReadOnlyList{string}, ref int, VaultOptions)"/>; a missing value is a
    /// <see cref="VaultUsageError"/> of <paramref name="vaultAction"/> when that is set.</summary>
    public static bool TryTake(IReadOnlyList<string> args, ref int i, VaultOptions o, string? vaultAction)
    {
        var arg = args[i];
        string? inline = null;
        if (arg.StartsWith("--") && arg.Contains('=')) { inline = arg[(arg.IndexOf('=') + 1)..]; arg = arg[..arg.IndexOf('=')]; }
        switch (arg)
        {
            case "--vault-id": o.VaultIds.Add(inline ?? Next(args, ref i, "--vault-id", vaultAction)); return true;
            case "--vault-password-file": case "--vault-pass-file":
                o.PasswordFiles.Add(inline ?? Next(args, ref i, "--vault-password-file/--vault-pass-file", vaultAction));
                return true;
            case "--ask-vault-password": case "--ask-vault-pass": o.AskVaultPass = true; return true;
            default: return false;
        }
    }

    private static string Next(IReadOnlyList<string> args, ref int i, string name, string? vaultAction)
    {
        if (i + 1 < args.Count) return args[++i];
        var message = $"argument {name}: expected one argument";
        throw vaultAction is null ? new RunnerException(message, exitCode: ExitCodes.BadCommandLine) : new VaultUsageError(vaultAction, message);
    }

    /// <summary>Refuses vault ids with ';' (AnsibleOptionsError, exit 5), as Ansible's CLI does.</summary>
    public static void Validate(VaultOptions o)
    {
        foreach (var id in o.VaultIds)
            if (id.Contains(';'))
                throw new RunnerException($"'{id}' is not a valid vault id. The character ';' is not allowed in vault ids", exitCode: ExitCodes.BadOptions);
    }

    /// <summary>
    /// Reads the secrets for a playbook-like command (configuration included, no automatic prompt) and makes them
    /// <see cref="VaultKeyring.Current"/>. Warnings go to stderr.
    /// </summary>
    public static VaultKeyring Activate(VaultOptions o, RunnerConfig cfg)
    {
        Validate(o);
        var keyring = Setup().Build(o.WithConfig(cfg));
        VaultKeyring.Current = keyring;
        return keyring;
    }

    /// <summary>The secrets reader with the terminal prompt and stderr warnings.</summary>
    public static VaultSecretsSetup Setup() => new()
    {
        Prompt = TerminalPrompt.ReadSecret,
        Warn = w => Console.Error.WriteLine(WarningText.Format(w)),
    };
}
