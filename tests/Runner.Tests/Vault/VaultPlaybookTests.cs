using Runner.Tests.Lab;
using Runner.Tests.Seed;

namespace Runner.Tests.Vault;

/// <summary>
/// `runner play` with vaulted inputs (tests/differential/vault.yml, also compared with ansible-playbook by
/// DifferentialTests): the decrypted secrets appear in no output of any callback; the password comes from
/// --vault-password-file, ANSIBLE_VAULT_PASSWORD_FILE, vault_password_file in the config, --vault-id or a prompt;
/// without a secret, or with a wrong one, the run stops with Ansible's message and exit 1.
/// </summary>
public sealed class VaultPlaybookTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-vaultplay-").FullName;

    private static readonly string[] Secrets = { "s3cret-db-pw", "inline-s3cret", "blob-secret-contents" };

    public VaultPlaybookTests()
    {
        SeedLab.CopyTree(Path.Combine(LabEnvironment.RepoRoot, "tests", "differential"), _dir);
        File.WriteAllText(Path.Combine(_dir, "hosts"), "localhost ansible_connection=local\n");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private (int Rc, string Out, string Err) Play(string[] args, Dictionary<string, string>? env = null, string? stdin = null) =>
        VaultProcess.Run(RunnerCli.File, RunnerCli.Prefix.Concat(new[] { "play", "-i", "hosts", "vault.yml" }).Concat(args),
            _dir, stdin, env);

    private static void NoSecret(string text)
    {
        foreach (var s in Secrets) Assert.DoesNotContain(s, text);
        Assert.Contains("printed on purpose", text);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("json")]
    [InlineData("transcript")]
    public void The_secrets_appear_in_no_output(string callback)
    {
        var r = Play(new[] { "--vault-password-file", "vault/password.txt", "-v", "--stdout-callback", callback });
        Assert.True(r.Rc == 0, r.Out + r.Err);
        NoSecret(r.Out + r.Err);
        Assert.Equal("db=s3cret-db-pw inline=inline-s3cret\n", File.ReadAllText(Path.Combine(_dir, "out", "motd")));
    }

    [Fact]
    public void The_password_comes_from_the_environment_the_config_a_vault_id_or_a_prompt()
    {
        Assert.Equal(0, Play(Array.Empty<string>(), new() { ["ANSIBLE_VAULT_PASSWORD_FILE"] = "vault/password.txt" }).Rc);
        File.WriteAllText(Path.Combine(_dir, "ansible.cfg"), "[defaults]\nvault_password_file = vault/password.txt\n");
        Assert.Equal(0, Play(Array.Empty<string>(), new() { ["ANSIBLE_CONFIG"] = Path.Combine(_dir, "ansible.cfg") }).Rc);
        File.Delete(Path.Combine(_dir, "ansible.cfg"));
        Assert.Equal(0, Play(new[] { "--vault-id", "other@vault/password.txt" }).Rc);
        var prompted = Play(new[] { "--ask-vault-pass" }, stdin: "differential-vault-pw\n");
        Assert.True(prompted.Rc == 0, prompted.Err);
        Assert.StartsWith("Vault password: ", prompted.Err);
    }

    [Fact]
    public void No_secret_or_a_wrong_one_stops_with_exit_1()
    {
        var none = Play(Array.Empty<string>());
        Assert.Equal(1, none.Rc);
        Assert.Contains("Attempting to decrypt but no vault secrets found", none.Err);
        File.WriteAllText(Path.Combine(_dir, "wrong"), "nope\n");
        var wrong = Play(new[] { "--vault-password-file", "wrong" });
        Assert.Equal(1, wrong.Rc);
        Assert.Contains("Decryption failed (no vault secrets were found that could decrypt)", wrong.Err);
    }

    /// <summary>
    /// An inline vaulted value that cannot be decrypted fails only the task that uses it, as ansible-playbook 2.14
    /// does (measured here: an unused one leaves the play ok=1 exit 0; a used one gives `fatal: ... {"msg": "Attempting
    /// to decrypt but no vault secrets found"}`, or "Decryption failed (no vault secrets were found that could
    /// decrypt)" with a wrong password, exit 2).
    /// </summary>
    [Fact]
    public void An_inline_vaulted_value_that_cannot_be_decrypted_fails_only_where_it_is_used()
    {
        var vaulted = File.ReadAllText(Path.Combine(_dir, "vault.yml"));
        var inline = System.Text.RegularExpressions.Regex.Match(vaulted, @"!vault \|\n(\s+\$ANSIBLE_VAULT[^\n]*\n(?:\s+[0-9a-f]+\n)+)").Groups[1].Value;
        Assert.NotEqual("", inline);
        string PlayUsing(string use) => "- hosts: localhost\n  gather_facts: false\n  vars:\n    s: !vault |\n" +
            string.Concat(inline.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "      " + l.Trim() + "\n")) +
            $"  tasks:\n    - debug: {{msg: \"{use}\"}}\n    - debug: {{msg: after}}\n";
        File.WriteAllText(Path.Combine(_dir, "unused.yml"), PlayUsing("plain"));
        File.WriteAllText(Path.Combine(_dir, "used.yml"), PlayUsing("{{ s }}"));
        File.WriteAllText(Path.Combine(_dir, "wrong"), "nope\n");
        (int Rc, string Out, string Err) Run(string pb, params string[] extra) =>
            VaultProcess.Run(RunnerCli.File, RunnerCli.Prefix.Concat(new[] { "play", "-i", "hosts", pb }).Concat(extra), _dir, null, null);

        var unused = Run("unused.yml");
        Assert.True(unused.Rc == 0, unused.Out + unused.Err);
        Assert.Contains("ok=2", unused.Out);
        var used = Run("used.yml");
        Assert.Equal(2, used.Rc);
        Assert.Contains("fatal: [localhost]: FAILED! => {\"msg\": \"Attempting to decrypt but no vault secrets found\"}", used.Out);
        Assert.DoesNotContain("after", used.Out.Split("fatal:")[1]);
        var wrong = Run("used.yml", "--vault-password-file", "wrong");
        Assert.Equal(2, wrong.Rc);
        Assert.Contains("Decryption failed (no vault secrets were found that could decrypt)", wrong.Out);
    }
}
