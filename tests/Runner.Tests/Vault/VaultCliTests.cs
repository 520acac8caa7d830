using System.Text.RegularExpressions;

namespace Runner.Tests.Vault;

/// <summary>
/// `runner vault ACTION` against `ansible-vault ACTION`, both run live here in twin scratch folders: the same exit
/// code, stdout and stderr (ciphertext lines masked; the program name in argparse lines normalised), and files each
/// tool writes are read back by the other.
/// </summary>
public sealed class VaultCliTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("runner-vaultcli-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    private static readonly Regex HexLine = new(@"^( *)[0-9a-f]{1,80}$", RegexOptions.Multiline);

    /// <summary>A folder for one tool with pw (correct), bad (wrong), plain.yml and vf.yml (vaulted by ansible-vault).</summary>
    private string Folder(string tool)
    {
        var d = Path.Combine(_root, tool);
        Directory.CreateDirectory(d);
        File.WriteAllText(Path.Combine(d, "pw"), "pass-one\n");
        File.WriteAllText(Path.Combine(d, "pw2"), "pass-two\n");
        File.WriteAllText(Path.Combine(d, "bad"), "wrong\n");
        File.WriteAllText(Path.Combine(d, "plain.yml"), "key: value\n");
        File.WriteAllText(Path.Combine(d, "vf.yml"), "secret: alpha\n");
        Assert.Equal(0, VaultProcess.Ansible(d, null, "encrypt", "--vault-password-file", "pw", "vf.yml").Rc);
        File.WriteAllText(Path.Combine(d, "editor.sh"), "#!/bin/sh\nstat -c %a \"$1\" > \"$(dirname \"$0\")/tmpmode\"\necho \"$1\" > \"$(dirname \"$0\")/tmppath\"\necho 'edited: yes' >> \"$1\"\n");
        File.SetUnixFileMode(Path.Combine(d, "editor.sh"), (UnixFileMode)0b111_101_101);
        return d;
    }

    private static string Mask(string s, string dir) =>
        HexLine.Replace(s.Replace(dir, "DIR"), "$1HEX").Replace("ansible-vault", "runner vault").Replace("\r", "");

    /// <summary>Runs the action with both tools (stdin optional); asserts equal rc/stdout/stderr; returns the folders.</summary>
    private (string Ansible, string Runner, int Rc) Both(string? stdin, params string[] args) => Both(stdin, true, args);

    private (string Ansible, string Runner, int Rc) Both(string? stdin, bool compareStderr, params string[] args)
    {
        if (!VaultProcess.HasAnsibleVault()) Assert.Fail("ansible-vault is not installed");
        var (da, dr) = (Folder("ansible"), Folder("runner"));
        var env = new Dictionary<string, string> { ["EDITOR"] = "" };
        var a = VaultProcess.Run("ansible-vault", args, da, stdin, new Dictionary<string, string> { ["EDITOR"] = Path.Combine(da, "editor.sh") });
        var r = VaultProcess.Run(RunnerCli.File, RunnerCli.Prefix.Append("vault").Concat(args), dr, stdin,
            new Dictionary<string, string> { ["EDITOR"] = Path.Combine(dr, "editor.sh") });
        Assert.Equal(a.Rc, r.Rc);
        Assert.Equal(Mask(a.Out, da), Mask(r.Out, dr));
        if (compareStderr) Assert.Equal(Mask(a.Err, da), Mask(r.Err, dr));
        else Assert.Equal(Mask(a.Err, da).TrimEnd().Split('\n')[^1], Mask(r.Err, dr).TrimEnd().Split('\n')[^1]);
        return (da, dr, a.Rc);
    }

    private static string View(string tool, string dir, string file, string pw = "pw")
    {
        var r = tool == "ansible" ? VaultProcess.Ansible(dir, null, "view", "--vault-password-file", pw, file)
            : VaultProcess.Runner(dir, null, "view", "--vault-password-file", pw, file);
        Assert.True(r.Rc == 0, r.Err);
        return r.Out;
    }

    [Fact]
    public void View_and_decrypt_print_the_plaintext()
    {
        Both(null, "view", "--vault-password-file", "pw", "vf.yml");
        Both(null, "decrypt", "--vault-password-file", "pw", "--output", "-", "vf.yml");
        Both("$ANSIBLE_VAULT;1.1;AES256\n" + "zz\n", "decrypt", "--vault-password-file", "pw");
    }

    [Fact]
    public void Decrypt_in_place_and_to_a_file()
    {
        var (da, dr, _) = Both(null, "decrypt", "--vault-password-file", "pw", "vf.yml");
        Assert.Equal(File.ReadAllText(Path.Combine(da, "vf.yml")), File.ReadAllText(Path.Combine(dr, "vf.yml")));
        (da, dr, _) = Both(null, "decrypt", "--vault-password-file", "pw", "--output", "out.yml", "vf.yml");
        Assert.Equal("secret: alpha\n", File.ReadAllText(Path.Combine(dr, "out.yml")));
    }

    [Theory]
    [InlineData("--vault-password-file", "pw")]
    [InlineData("--vault-id", "dev@pw")]
    public void Encrypt_writes_a_file_the_other_tool_reads(string opt, string value)
    {
        var (da, dr, _) = Both(null, "encrypt", opt, value, "plain.yml");
        Assert.Equal(File.ReadAllLines(Path.Combine(da, "plain.yml"))[0], File.ReadAllLines(Path.Combine(dr, "plain.yml"))[0]);
        Assert.Equal(File.GetUnixFileMode(Path.Combine(da, "plain.yml")), File.GetUnixFileMode(Path.Combine(dr, "plain.yml")));
        Assert.Equal("key: value\n", View("ansible", dr, "plain.yml"));
        Assert.Equal("key: value\n", View("runner", da, "plain.yml"));
    }

    [Fact]
    public void Encrypt_string_prints_the_same_yaml()
    {
        Both(null, "encrypt_string", "--vault-password-file", "pw", "s3cret");
        Both(null, "encrypt_string", "--vault-password-file", "pw", "--name", "a", "one", "two");
        Both("from stdin", "encrypt_string", "--vault-id", "x@pw", "--stdin-name", "s");
        Both(null, "encrypt_string", "--vault-id", "x@pw", "--vault-id", "y@pw2", "--encrypt-vault-id", "y", "-n", "v", "value");
        var (_, dr, _) = Both(null, "encrypt_string", "--vault-password-file", "pw", "--output", "s.yml", "-n", "v", "value");
        var yaml = File.ReadAllText(Path.Combine(dr, "s.yml"));
        File.WriteAllText(Path.Combine(dr, "wrap.yml"), "- hosts: localhost\n  gather_facts: false\n  vars:\n" +
            string.Join("\n", yaml.Split('\n').Select(l => "    " + l)) + "\n  tasks:\n    - assert: {that: [\"v == 'value'\"]}\n");
        var play = VaultProcess.Run("ansible-playbook", new[] { "--vault-password-file", "pw", "wrap.yml" }, dr);
        Assert.True(play.Rc == 0, play.Out + play.Err);
    }

    [Fact]
    public void Create_and_edit_use_the_editor_on_a_private_temp_file_that_is_removed()
    {
        var (da, dr, _) = Both(null, "create", "--vault-id", "c@pw", "new.yml");
        Assert.Equal("edited: yes\n", View("ansible", dr, "new.yml"));
        Assert.Equal("$ANSIBLE_VAULT;1.2;AES256;c", File.ReadAllLines(Path.Combine(dr, "new.yml"))[0]);
        Assert.Equal("600", File.ReadAllText(Path.Combine(dr, "tmpmode")).Trim());
        Assert.False(File.Exists(File.ReadAllText(Path.Combine(dr, "tmppath")).Trim()));
        (da, dr, _) = Both(null, "edit", "--vault-password-file", "pw", "vf.yml");
        Assert.Equal("secret: alpha\nedited: yes\n", View("ansible", dr, "vf.yml"));
        Assert.False(File.Exists(File.ReadAllText(Path.Combine(dr, "tmppath")).Trim()));
        Both(null, "create", "--vault-password-file", "pw", "vf.yml");
    }

    [Fact]
    public void Rekey_reencrypts_with_the_new_secret()
    {
        var (da, dr, _) = Both(null, "rekey", "--vault-password-file", "pw", "--new-vault-password-file", "pw2", "vf.yml");
        Assert.Equal("secret: alpha\n", View("ansible", dr, "vf.yml", "pw2"));
        (da, dr, _) = Both(null, "rekey", "--vault-password-file", "pw", "--new-vault-id", "n@pw2", "vf.yml");
        Assert.Equal("$ANSIBLE_VAULT;1.2;AES256;n", File.ReadAllLines(Path.Combine(dr, "vf.yml"))[0]);
        Both(null, "rekey", "--vault-password-file", "bad", "--new-vault-password-file", "pw2", "vf.yml");
    }

    [Theory]
    [InlineData("view", "--vault-password-file", "bad", "vf.yml")]
    [InlineData("decrypt", "--vault-password-file", "pw", "plain.yml")]
    [InlineData("encrypt", "--vault-password-file", "pw", "vf.yml")]
    [InlineData("view", "--vault-password-file", "nonexistent", "vf.yml")]
    [InlineData("view", "--vault-password-file", "pw", "missing.yml")]
    [InlineData("encrypt", "--vault-password-file", "pw", "missing.yml")]
    [InlineData("encrypt", "--vault-id", "a@pw", "--vault-id", "b@pw2", "--encrypt-vault-id", "c", "plain.yml")]
    [InlineData("view", "--vault-id", "a@bad", "--vault-id", "b@pw", "vf.yml")]
    public void Errors_give_ansible_vaults_message_and_exit_code(params string[] args) => Both(null, args);

    [Theory]
    [InlineData("encrypt", "--vault-id", "a@pw", "--vault-id", "b@pw2", "plain.yml")]
    [InlineData("view", "--vault-id", "a;b@pw", "vf.yml")]
    [InlineData("decrypt", "--vault-password-file", "pw", "--output", "x", "vf.yml", "plain.yml")]
    [InlineData("encrypt_string", "--vault-password-file", "pw")]
    [InlineData("create", "--vault-password-file", "pw", "a.yml", "b.yml")]
    public void Conflicting_options_exit_5(params string[] args)
    {
        if (!VaultProcess.HasAnsibleVault()) Assert.Fail("ansible-vault is not installed");
        var d = Folder("x");
        var a = VaultProcess.Ansible(d, null, args);
        var r = VaultProcess.Runner(d, null, args);
        Assert.Equal(5, a.Rc);
        Assert.Equal(a.Rc, r.Rc);
        Assert.Equal(a.Err.Split('\n')[0], r.Err.Split('\n')[0].Replace("runner vault", "ansible-vault"));
    }

    [Theory]
    [InlineData("frob")]
    [InlineData("view", "--vault-password-file")]
    [InlineData("view", "--no-such-option", "vf.yml")]
    [InlineData("view", "--ask-vault-pass", "--vault-password-file", "pw", "vf.yml")]
    [InlineData("rekey", "--new-vault-id", "x@pw", "--new-vault-password-file", "pw", "vf.yml")]
    public void Usage_errors_exit_2_with_argparses_error_line(params string[] args)
    {
        if (!VaultProcess.HasAnsibleVault()) Assert.Fail("ansible-vault is not installed");
        var d = Folder("x");
        var a = VaultProcess.Ansible(d, null, args);
        var r = VaultProcess.Runner(d, null, args);
        Assert.Equal(2, a.Rc);
        Assert.Equal(2, r.Rc);
        string ErrorLine(string err) => err.Split('\n').First(l => l.Contains(": error: ")).Replace("ansible-vault", "runner vault");
        Assert.Equal(ErrorLine(a.Err), ErrorLine(r.Err));
    }

    [Fact]
    public void No_secret_prompts_and_fails_at_end_of_input() => Both(null, false, "view", "vf.yml");

    [Fact]
    public void A_prompted_password_decrypts() => Both("pass-one\n", false, "view", "--ask-vault-pass", "vf.yml");
}
