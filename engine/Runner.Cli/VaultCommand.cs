using System.Text;
using Runner.Engine.Config;
using Runner.Engine.Errors;
using Runner.Engine.Results;
using Runner.Engine.Vault;

namespace Runner.Cli;

/// <summary>
/// `runner vault create|decrypt|edit|view|encrypt|encrypt_string|rekey`, as ansible-vault 2.14 (lib/ansible/cli/vault.py):
/// the same options, messages and exit codes (0 ok; 1 a vault error such as a wrong password; 2 a usage error;
/// 5 conflicting or incomplete options, with the help text on stdout). Files it writes are mode 0600; progress
/// messages ("Encryption successful") appear on stderr only when stdout is a terminal.
/// </summary>
public static class VaultCommand
{
    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> argv, TextWriter output)
    {
        var a = VaultArgs.Parse(argv);
        if (a.Help) { output.WriteLine(a.HelpText); return ExitCodes.Ok; }
        try { return Execute(a, output); }
        catch (OptionsError e)
        {
            Console.Error.WriteLine($"ERROR! {e.Message}");
            output.WriteLine(VaultArgs.TopHelpText);
            return ExitCodes.BadOptions;
        }
    }

    /// <summary>AnsibleOptionsError: "ERROR! MSG", the help on stdout, exit 5.</summary>
    private sealed class OptionsError(string message) : Exception(message);

    private static void Warn(string w) => Console.Error.WriteLine(WarningText.Format(w));

    private static int Execute(VaultArgs a, TextWriter output)
    {
        foreach (var id in a.Vault.VaultIds)
            if (id.Contains(';')) throw new OptionsError($"'{id}' is not a valid vault id. The character ';' is not allowed in vault ids");
        if (a.Output is not null && a.Files.Count > 1) throw new OptionsError("At most one input file may be used with the --output option");
        var readStdin = a.Action == "encrypt_string" && (a.Files.Contains("-") || a.Files.Count == 0 || a.StdinName is not null);
        if (a.Action == "encrypt_string" && a.Prompt && readStdin)
            throw new OptionsError("The --prompt option is not supported if also reading input from stdin");

        var cfg = RunnerConfig.Load();
        var o = a.Vault;
        o.EncryptVaultId = null;
        o.WithConfig(cfg);
        var encryptId = string.IsNullOrEmpty(a.EncryptVaultId) ? o.EncryptVaultId : a.EncryptVaultId;
        var setup = VaultArguments.Setup();
        var keyring = new VaultKeyring();
        (string Id, byte[] Secret) encrypt = default;
        if (a.Action is "decrypt" or "view" or "rekey" or "edit")
        {
            keyring = setup.Build(o, createNewPassword: false, autoPrompt: true);
            if (keyring.Secrets.Count == 0) throw new OptionsError("A vault password is required to use Ansible's Vault");
        }
        if (a.Action is "encrypt" or "encrypt_string" or "create")
        {
            keyring = setup.Build(o, createNewPassword: true, autoPrompt: true);
            if (keyring.Secrets.Count > 1 && string.IsNullOrEmpty(encryptId))
                throw new OptionsError($"The vault-ids {string.Join(',', keyring.Secrets.Select(s => s.Id))} are available to encrypt. Specify the vault-id to encrypt with --encrypt-vault-id");
            if (keyring.Secrets.Count == 0) throw new OptionsError("A vault password is required to use Ansible's Vault");
            encrypt = keyring.EncryptSecret(encryptId);
        }
        (string Id, byte[] Secret) rekeyTo = default;
        if (a.Action == "rekey")
        {
            var newIds = !string.IsNullOrEmpty(encryptId) ? o.ConfiguredIds.ToList() : new List<string>();
            if (a.NewVaultId is not null) newIds.Add(a.NewVaultId);
            var newFiles = a.NewVaultPasswordFile is null ? new List<string>() : new List<string> { a.NewVaultPasswordFile };
            var fresh = setup.Build(newIds, newFiles, o.ConfiguredPasswordFile, o.AskVaultPass, o.DefaultIdentity, createNewPassword: true, autoPrompt: true);
            if (fresh.Secrets.Count == 0) throw new OptionsError("A new vault password is required to use Ansible's Vault rekey");
            rekeyTo = fresh.EncryptSecret(encryptId);
        }

        var editor = new VaultEditor(keyring);
        var tty = !Console.IsOutputRedirected;
        switch (a.Action)
        {
            case "encrypt":
                if (a.Files.Count == 0 && !Console.IsInputRedirected) Console.Error.WriteLine("Reading plaintext input from stdin");
                foreach (var f in a.Files.Count > 0 ? a.Files : new List<string> { "-" }) editor.EncryptFile(f, encrypt.Secret, encrypt.Id, a.Output);
                if (tty) Console.Error.WriteLine("Encryption successful");
                break;
            case "decrypt":
                if (a.Files.Count == 0 && !Console.IsInputRedirected) Console.Error.WriteLine("Reading ciphertext input from stdin");
                foreach (var f in a.Files.Count > 0 ? a.Files : new List<string> { "-" }) editor.DecryptFile(f, a.Output);
                if (tty) Console.Error.WriteLine("Decryption successful");
                break;
            case "create":
                if (a.Files.Count != 1) throw new OptionsError("ansible-vault create can take only one filename argument");
                editor.CreateFile(a.Files[0], encrypt.Secret, encrypt.Id, Warn);
                break;
            case "edit":
                foreach (var f in a.Files) editor.EditFile(f);
                break;
            case "view":
                foreach (var f in a.Files)
                {
                    var text = Encoding.UTF8.GetString(editor.Plaintext(f));
                    output.Write(text.EndsWith('\n') ? text : text + "\n");
                    output.Flush();
                }
                break;
            case "rekey":
                foreach (var f in a.Files) editor.RekeyFile(f, rekeyTo.Secret, rekeyTo.Id);
                Console.Error.WriteLine("Rekey successful");
                break;
            case "encrypt_string":
                EncryptStrings(a, readStdin, encrypt, tty);
                break;
        }
        return ExitCodes.Ok;
    }

    private static void EncryptStrings(VaultArgs a, bool readStdin, (string Id, byte[] Secret) encrypt, bool tty)
    {
        var inputs = new List<(byte[] Text, string Source, string? Name)>();
        if (a.Prompt)
        {
            var name = TerminalPrompt.ReadLine("Variable name (enter for no name): ");
            var answer = a.ShowInput ? TerminalPrompt.ReadLine("String to encrypt:") : TerminalPrompt.ReadSecret("String to encrypt (hidden): ");
            if (string.IsNullOrEmpty(answer)) throw new OptionsError("The plaintext provided from the prompt was empty, not encrypting");
            inputs.Add((Encoding.UTF8.GetBytes(answer), "the interactive prompt", string.IsNullOrEmpty(name) ? null : name));
        }
        if (readStdin)
        {
            if (tty) Console.Error.WriteLine("Reading plaintext input from stdin. (ctrl-d to end input, twice if your content does not already have a newline)");
            var stdin = VaultFileIO.Read("-");
            if (stdin.Length == 0) throw new OptionsError("stdin was empty, not encrypting");
            if (tty && stdin[^1] != (byte)'\n') Console.Error.WriteLine();
            inputs.Add((stdin, "stdin", a.StdinName));
        }
        var args = a.Files.Where(f => f != "-").ToList();
        var named = new List<(string? Name, string Text)>();
        for (var i = 0; i < args.Count; i++) named.Add((i < a.Names.Count ? a.Names[i] : null, args[i]));
        if (a.Names.Count > 0 && args.Count > a.Names.Count)
        {
            Console.Error.WriteLine("The number of --name options do not match the number of args.");
            Console.Error.WriteLine($"The last named variable will be \"{a.Names[^1]}\". The rest will not have names.");
        }
        foreach (var (name, text) in named)
        {
            if (text.Length == 0) throw new OptionsError("The plaintext provided from the command line args was empty, not encrypting");
            inputs.Add((Encoding.UTF8.GetBytes(text), "the command line args", name));
        }
        var outs = new List<string>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var (plain, source, name) = inputs[i];
            var cipher = VaultKeyring.Encrypt(plain, encrypt.Secret, encrypt.Id);
            if (inputs.Count > 1)
                Console.Error.Write(name is not null
                    ? $"# The encrypted version of variable (\"{name}\", the string #{i + 1} from {source}).\n"
                    : $"# The encrypted version of the string #{i + 1} from {source}.)\n");
            outs.Add(InlineVaultYaml(cipher, name));
        }
        VaultFileIO.Write(Encoding.UTF8.GetBytes(string.Join("\n", outs)), a.Output ?? "-");
        if (tty) Console.Error.WriteLine("Encryption successful");
    }

    /// <summary>A `!vault |` block as encrypt_string prints it: "NAME: !vault |" then each envelope line indented 10.</summary>
    public static string InlineVaultYaml(string envelope, string? name) =>
        string.Join("\n", new[] { (name is null ? "" : name + ": ") + "!vault |" }
            .Concat(envelope.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => new string(' ', 10) + l)));
}
