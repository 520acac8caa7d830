using System.Text;
using Runner.Engine.Vault;

namespace Runner.Tests.Vault;

/// <summary>
/// The vault format both ways against the installed ansible-vault 2.14, live: files and strings encrypted by
/// ansible-vault (1.1, and 1.2 with a vault id) decrypt in Runner's engine, and Runner's output decrypts in
/// ansible-vault. Fixtures/secret-1.1.yml is the one recorded sample (made by the command in Fixtures/README.md).
/// </summary>
public sealed class VaultFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-vault-").FullName;

    public VaultFormatTests()
    {
        File.WriteAllText(Path.Combine(_dir, "pw"), "correct horse\n");
        File.WriteAllText(Path.Combine(_dir, "pw2"), "other\n");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string name) => Path.Combine(_dir, name);

    private static void RequireAnsible() { if (!VaultProcess.HasAnsibleVault()) Assert.Fail("ansible-vault is not installed"); }

    [Fact]
    public void Recorded_fixture_decrypts()
    {
        var fixture = File.ReadAllText(Path.Combine(Runner.Tests.Lab.LabEnvironment.RepoRoot, "tests", "Runner.Tests", "Vault", "Fixtures", "secret-1.1.yml"));
        var keyring = new VaultKeyring().Add("default", "fixture-password");
        Assert.Equal("fixture_secret: s3cr3t-fixture\n", keyring.DecryptText(fixture));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("prod")]
    public void A_file_ansible_vault_encrypted_decrypts(string? label)
    {
        RequireAnsible();
        var plain = "db_password: hunter2\nlist:\n  - ü-unicode\n";
        File.WriteAllText(P("f.yml"), plain);
        var id = label is null ? new[] { "--vault-password-file", P("pw") } : new[] { "--vault-id", $"{label}@{P("pw")}" };
        var r = VaultProcess.Ansible(_dir, null, new[] { "encrypt" }.Concat(id).Append(P("f.yml")).ToArray());
        Assert.Equal(0, r.Rc);
        var text = File.ReadAllText(P("f.yml"));
        Assert.StartsWith(label is null ? "$ANSIBLE_VAULT;1.1;AES256\n" : $"$ANSIBLE_VAULT;1.2;AES256;{label}\n", text);
        // the matching label first, then any other secret (a wrong one first must not hurt)
        var keyring = new VaultKeyring().Add("other", "other").Add(label ?? "default", "correct horse");
        var (bytes, used, _) = keyring.DecryptWithId(text, "f.yml");
        Assert.Equal(plain, Encoding.UTF8.GetString(bytes));
        Assert.Equal(label ?? "default", used);
    }

    [Fact]
    public void An_encrypt_string_value_decrypts_inline_in_yaml()
    {
        RequireAnsible();
        var r = VaultProcess.Ansible(_dir, null, "encrypt_string", "--vault-id", $"app@{P("pw")}", "--name", "token", "tok-123");
        Assert.Equal(0, r.Rc);
        VaultKeyring.Current = new VaultKeyring().Add("app", "correct horse");
        try
        {
            var data = (Runner.Engine.Values.Dict)Runner.Engine.Yaml.YamlLoader.Load(r.Out + "\nplain: 1\n", "x.yml")!;
            Assert.Equal("tok-123", data["token"]);
        }
        finally { VaultKeyring.Current = new VaultKeyring(); }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("lab")]
    public void Runner_encrypted_content_decrypts_in_ansible_vault(string? label)
    {
        RequireAnsible();
        var plain = Encoding.UTF8.GetBytes(new string('x', 200) + "\nend ✓\n");
        var text = VaultKeyring.Encrypt(plain, Encoding.UTF8.GetBytes("correct horse"), label);
        Assert.All(text.TrimEnd('\n').Split('\n').Skip(1), l => Assert.True(l.Length <= 80));
        File.WriteAllText(P("r.yml"), text);
        var id = label is null ? new[] { "--vault-password-file", P("pw") } : new[] { "--vault-id", $"{label}@{P("pw")}" };
        var r = VaultProcess.Ansible(_dir, null, new[] { "view" }.Concat(id).Append(P("r.yml")).ToArray());
        Assert.Equal(0, r.Rc);
        Assert.Equal(Encoding.UTF8.GetString(plain), r.Out);
    }

    [Fact]
    public void Empty_plaintext_and_block_multiples_round_trip()
    {
        var secret = Encoding.UTF8.GetBytes("pw");
        foreach (var n in new[] { 0, 1, 15, 16, 17, 32 })
        {
            var plain = Enumerable.Range(0, n).Select(i => (byte)i).ToArray();
            var text = VaultKeyring.Encrypt(plain, secret, null);
            Assert.Equal(plain, new VaultKeyring().Add("default", secret).Decrypt(text));
        }
    }

    [Fact]
    public void Errors_are_ansibles()
    {
        var text = VaultKeyring.Encrypt("a: 1\n"u8.ToArray(), "pw"u8.ToArray(), null);
        Assert.Equal("Attempting to decrypt but no vault secrets found",
            Assert.Throws<VaultError>(() => new VaultKeyring().Decrypt(text, "f.yml")).Message);
        Assert.Equal("Decryption failed (no vault secrets were found that could decrypt) on f.yml",
            Assert.Throws<VaultError>(() => new VaultKeyring().Add("default", "nope").Decrypt(text, "f.yml")).Message);
        Assert.Equal("input is not vault encrypted data. f.yml is not a vault encrypted file",
            Assert.Throws<VaultError>(() => new VaultKeyring().Add("default", "pw").Decrypt("a: 1\n", "f.yml")).Message);
        Assert.Equal("input is already encrypted",
            Assert.Throws<VaultError>(() => VaultKeyring.Encrypt(Encoding.ASCII.GetBytes(text), "pw"u8.ToArray(), null)).Message);
    }

    [Fact]
    public void A_password_script_gives_its_stdout_and_a_client_script_gets_the_vault_id()
    {
        File.WriteAllText(P("pass.sh"), "#!/bin/sh\necho 'from-script'\n");
        File.WriteAllText(P("id-client.sh"), "#!/bin/sh\n[ \"$1\" = --vault-id ] && echo \"pw-for-$2\"\n");
        File.SetUnixFileMode(P("pass.sh"), (UnixFileMode)0b111_000_000);
        File.SetUnixFileMode(P("id-client.sh"), (UnixFileMode)0b111_000_000);
        var setup = new VaultSecretsSetup { Prompt = _ => null, Warn = _ => { } };
        var o = new VaultOptions();
        o.VaultIds.Add($"one@{P("pass.sh")}");
        o.VaultIds.Add($"two@{P("id-client.sh")}");
        o.PasswordFiles.Add(P("pw"));
        var keyring = setup.Build(o);
        Assert.Equal(new[] { "one", "two", "default" }, keyring.Secrets.Select(s => s.Id));
        Assert.Equal(new[] { "from-script", "pw-for-two", "correct horse" }, keyring.Secrets.Select(s => Encoding.UTF8.GetString(s.Secret)));
    }

    [Fact]
    public void A_missing_password_file_warns_and_is_skipped_when_another_source_works()
    {
        var warnings = new List<string>();
        var setup = new VaultSecretsSetup { Prompt = _ => null, Warn = warnings.Add };
        var o = new VaultOptions();
        o.PasswordFiles.Add(P("missing"));
        o.VaultIds.Add($"x@{P("pw")}");
        Assert.Single(setup.Build(o).Secrets);
        Assert.Equal($"Error getting vault password file (default): The vault password file {P("missing")} was not found", Assert.Single(warnings));
        var only = new VaultOptions();
        only.PasswordFiles.Add(P("missing"));
        Assert.Equal($"The vault password file {P("missing")} was not found", Assert.Throws<VaultError>(() => setup.Build(only)).Message);
    }
}
