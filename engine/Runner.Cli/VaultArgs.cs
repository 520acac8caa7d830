using Runner.Engine.Errors;
using Runner.Engine.Vault;

namespace Runner.Cli;

/// <summary>
/// The options of `runner vault ACTION`, as ansible-vault's argument parser takes them
/// (lib/ansible/cli/vault.py): the vault options on every action; --output on decrypt, encrypt, encrypt_string;
/// --encrypt-vault-id on create, edit, encrypt, encrypt_string, rekey; -p/--prompt, --show-input, -n/--name
/// (repeatable), --stdin-name on encrypt_string; --new-vault-password-file | --new-vault-id on rekey.
/// A usage error (unknown action or option, missing value, exclusive options) is a <see cref="VaultUsageError"/>, exit 2.
/// </summary>
public sealed class VaultArgs
{
    /// <summary>The actions, in ansible-vault's order.</summary>
    public static readonly string[] Actions = { "create", "decrypt", "edit", "view", "encrypt", "encrypt_string", "rekey" };

    public string Action { get; private init; } = "";
    public VaultOptions Vault { get; } = new();
    public List<string> Files { get; } = new();
    public string? Output { get; private set; }
    public string? EncryptVaultId { get; private set; }
    public bool Prompt { get; private set; }
    public bool ShowInput { get; private set; }
    public List<string> Names { get; } = new();
    public string? StdinName { get; private set; }
    public string? NewVaultPasswordFile { get; private set; }
    public string? NewVaultId { get; private set; }
    public bool Help { get; private set; }

    /// <summary>Parses the arguments after `vault`.</summary>
    public static VaultArgs Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw new VaultUsageError(null, "the following arguments are required: action");
        if (args[0] is "-h" or "--help") return new VaultArgs { Help = true };
        var action = args[0];
        if (!Actions.Contains(action))
            throw new VaultUsageError(null, $"argument action: invalid choice: '{action}' (choose from {string.Join(", ", Actions.Select(x => $"'{x}'"))})");
        var a = new VaultArgs { Action = action };
        var output = action is "decrypt" or "encrypt" or "encrypt_string";
        var encryptId = action is "create" or "edit" or "encrypt" or "encrypt_string" or "rekey";
        var str = action == "encrypt_string";
        var rekey = action == "rekey";
        var onlyFiles = false;
        for (var i = 1; i < args.Count; i++)
        {
            var raw = args[i];
            if (onlyFiles || raw == "-" || !raw.StartsWith('-')) { a.Files.Add(raw); continue; }
            if (raw == "--") { onlyFiles = true; continue; }
            var passFiles = a.Vault.PasswordFiles.Count;
            if (VaultArguments.TryTake(args, ref i, a.Vault, action))
            {
                if (a.Vault.AskVaultPass && a.Vault.PasswordFiles.Count > 0)
                    throw new VaultUsageError(action, a.Vault.PasswordFiles.Count > passFiles
                        ? "argument --vault-password-file/--vault-pass-file: not allowed with argument --ask-vault-password/--ask-vault-pass"
                        : "argument --ask-vault-password/--ask-vault-pass: not allowed with argument --vault-password-file/--vault-pass-file");
                continue;
            }
            var name = raw;
            string? inline = null;
            if (raw.StartsWith("--") && raw.Contains('=')) { inline = raw[(raw.IndexOf('=') + 1)..]; name = raw[..raw.IndexOf('=')]; }
            string Value(string shown) => inline ?? (i + 1 < args.Count ? args[++i] : throw new VaultUsageError(action, $"argument {shown}: expected one argument"));
            switch (name)
            {
                case "-h": case "--help": a.Help = true; return a;
                case "-v": case "-vv": case "-vvv": case "-vvvv": case "-vvvvv": case "-vvvvvv": case "--verbose": break;
                case "--output" when output: a.Output = Value("--output"); break;
                case "--encrypt-vault-id" when encryptId: a.EncryptVaultId = Value("--encrypt-vault-id"); break;
                case "-p" or "--prompt" when str: a.Prompt = true; break;
                case "--show-input" when str: a.ShowInput = true; break;
                case "-n" or "--name" when str: a.Names.Add(Value("-n/--name")); break;
                case "--stdin-name" when str: a.StdinName = Value("--stdin-name"); break;
                case "--new-vault-password-file" when rekey:
                    if (a.NewVaultId is not null) throw new VaultUsageError(action, "argument --new-vault-password-file: not allowed with argument --new-vault-id");
                    a.NewVaultPasswordFile = Value("--new-vault-password-file");
                    break;
                case "--new-vault-id" when rekey:
                    if (a.NewVaultPasswordFile is not null) throw new VaultUsageError(action, "argument --new-vault-id: not allowed with argument --new-vault-password-file");
                    a.NewVaultId = Value("--new-vault-id");
                    break;
                default: throw new VaultUsageError(null, $"unrecognized arguments: {raw}");
            }
        }
        if (a.Output is not null && a.Output != "-") a.Output = Path.GetFullPath(a.Output);
        if (a.NewVaultPasswordFile is not null) a.NewVaultPasswordFile = Path.GetFullPath(a.NewVaultPasswordFile);
        for (var k = 0; k < a.Vault.PasswordFiles.Count; k++) a.Vault.PasswordFiles[k] = Path.GetFullPath(a.Vault.PasswordFiles[k]);
        a.Vault.EncryptVaultId = a.EncryptVaultId;
        return a;
    }
}

/// <summary>An argparse-style usage error of `runner vault`: "usage: ..." and "runner vault ACTION: error: MSG" on
/// stderr, exit 2.</summary>
public sealed class VaultUsageError : RunnerException
{
    public VaultUsageError(string? action, string message) : base(message, exitCode: ExitCodes.BadCommandLine) => Action = action;

    /// <summary>The action whose parser refused the arguments, or null for the top-level parser.</summary>
    public string? Action { get; }
}
