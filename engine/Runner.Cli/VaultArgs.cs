using System.CommandLine;
using Runner.Cli.Parsing;
using Runner.Engine.Vault;

namespace Runner.Cli;

/// <summary>
/// The options of `runner vault ACTION`, as ansible-vault's argument parser takes them
/// (lib/ansible/cli/vault.py): the vault options and -v on every action; --output on decrypt, encrypt,
/// encrypt_string; --encrypt-vault-id on create, edit, encrypt, encrypt_string, rekey; -p/--prompt, --show-input,
/// -n/--name (repeatable), --stdin-name on encrypt_string; --new-vault-password-file | --new-vault-id on rekey.
/// A refused command line (unknown action or option, missing value, exclusive options) is a <see cref="UsageError"/>, exit 2.
/// </summary>
public sealed class VaultArgs
{
    /// <summary>The actions, in ansible-vault's order.</summary>
    public static readonly string[] Actions = { "create", "decrypt", "edit", "view", "encrypt", "encrypt_string", "rekey" };

    private static readonly Dictionary<string, string> Descriptions = new()
    {
        ["create"] = "Create new vault encrypted file",
        ["decrypt"] = "Decrypt vault encrypted file",
        ["edit"] = "Edit vault encrypted file",
        ["view"] = "View vault encrypted file",
        ["encrypt"] = "Encrypt YAML file",
        ["encrypt_string"] = "Encrypt a string",
        ["rekey"] = "Re-key a vault encrypted file",
    };

    public string Action { get; private init; } = "";
    public VaultOptions Vault { get; private init; } = new();
    public List<string> Files { get; private init; } = new();
    public string? Output { get; private init; }
    public string? EncryptVaultId { get; private init; }
    public bool Prompt { get; private init; }
    public bool ShowInput { get; private init; }
    public List<string> Names { get; private init; } = new();
    public string? StdinName { get; private init; }
    public string? NewVaultPasswordFile { get; private init; }
    public string? NewVaultId { get; private init; }
    /// <summary>-h/--help: print <see cref="HelpText"/> and exit 0.</summary>
    public bool Help { get; private init; }
    /// <summary>The help of the action named, or of `runner vault` when no action was.</summary>
    public string? HelpText { get; private init; }

    /// <summary>Parses the arguments after `vault`. Errors: <see cref="UsageError"/>.</summary>
    public static VaultArgs Parse(IReadOnlyList<string> args)
    {
        var (cli, actions) = Definition();
        var p = cli.Parse(args);
        if (!actions.TryGetValue(p.Leaf.Name, out var action) || p.Leaf != action.Cli)
            return new VaultArgs { Help = true, HelpText = cli.HelpText };
        return action.Read(p);
    }

    /// <summary>The help of `runner vault` (its actions), as `ansible-vault --help` prints it.</summary>
    public static string TopHelpText => Definition().Cli.HelpText;

    private static (CliDefinition Cli, Dictionary<string, ActionDefinition> Actions) Definition()
    {
        var cli = new CliDefinition("runner vault", "encryption/decryption utility for Ansible data files")
        {
            Epilog = "See 'runner vault <command> --help' for more information on a specific command.",
        };
        return (cli, Actions.ToDictionary(a => a, a => new ActionDefinition(cli, a)));
    }

    /// <summary>One action's definition.</summary>
    private sealed class ActionDefinition
    {
        public readonly CliDefinition Cli;
        private readonly VaultArguments _vault;
        private readonly AnsibleOption<List<string>>? _output, _encryptId, _names, _stdinName, _newFile, _newId;
        private readonly AnsibleOption<bool>? _prompt, _showInput;
        private readonly Argument<List<string>> _files;

        public ActionDefinition(CliDefinition vault, string name)
        {
            Cli = vault.Sub(new CliDefinition($"runner vault {name}", Descriptions[name]));
            _vault = VaultArguments.AddTo(Cli);
            Cli.Add(Opt.Flag("Causes Ansible to print more debug messages. Adding multiple -v will increase the verbosity.", "-v", "--verbose"));
            if (name is "decrypt" or "encrypt" or "encrypt_string")
                _output = Cli.Add(Opt.Text("OUTPUT_FILE", "output file name for encrypt or decrypt; use - for stdout", "--output"));
            if (name is "create" or "edit" or "encrypt" or "encrypt_string" or "rekey")
                _encryptId = Cli.Add(Opt.Text("ENCRYPT_VAULT_ID", "the vault id used to encrypt (required if more than one vault-id is provided)", "--encrypt-vault-id"));
            if (name == "encrypt_string")
            {
                _prompt = Cli.Add(Opt.Flag("Prompt for the string to encrypt", "-p", "--prompt"));
                _showInput = Cli.Add(Opt.Flag("Do not hide input when prompted for the string to encrypt", "--show-input"));
                _names = Cli.Add(Opt.Text("ENCRYPT_STRING_NAMES", "Specify the variable name", "-n", "--name"));
                _stdinName = Cli.Add(Opt.Text("ENCRYPT_STRING_STDIN_NAME", "Specify the variable name for stdin", "--stdin-name"));
            }
            if (name == "rekey")
            {
                _newFile = Cli.Add(Opt.Text("NEW_VAULT_PASSWORD_FILE", "new vault password file for rekey", "--new-vault-password-file"));
                _newId = Cli.Add(Opt.Text("NEW_VAULT_ID", "the new vault identity to use for rekey", "--new-vault-id"));
                Cli.Excludes(_newFile, _newId);
            }
            _files = name == "encrypt_string"
                ? Cli.PositionalList("string_to_encrypt", ArgumentArity.ZeroOrMore, "String to encrypt")
                : Cli.PositionalList("file_name", ArgumentArity.ZeroOrMore, "Filename");
        }

        public VaultArgs Read(CliParse p)
        {
            if (p.Help) return new VaultArgs { Action = Cli.Name, Help = true, HelpText = Cli.HelpText };
            string? Last(AnsibleOption<List<string>>? o) => o is null ? null : p.Last(o);
            string? Full(string? path) => path is null || path == "-" ? path : Path.GetFullPath(path);
            var vault = _vault.Read(p);
            for (var k = 0; k < vault.PasswordFiles.Count; k++) vault.PasswordFiles[k] = Path.GetFullPath(vault.PasswordFiles[k]);
            var encryptId = Last(_encryptId);
            vault.EncryptVaultId = encryptId;
            return new VaultArgs
            {
                Action = Cli.Name,
                Vault = vault,
                Files = p.Values(_files),
                Output = Full(Last(_output)),
                EncryptVaultId = encryptId,
                Prompt = _prompt is not null && p.Flag(_prompt),
                ShowInput = _showInput is not null && p.Flag(_showInput),
                Names = _names is null ? new() : p.All(_names),
                StdinName = Last(_stdinName),
                NewVaultPasswordFile = _newFile is null || p.Last(_newFile) is not { } nf ? null : Path.GetFullPath(nf),
                NewVaultId = Last(_newId),
            };
        }
    }
}

