namespace Runner.Tests.Cli;

/// <summary>
/// Every command refuses a bad command line as ansible-playbook's argparse does: the usage, then one line
/// "runner CMD: error: ..." naming the option, exit 2, never a stack trace (measured with ansible-playbook 2.14:
/// `--no-such-option`, `-f abc`, `-i` without a value all exit 2); options that parse but conflict exit 5;
/// `-l @FILE` limits the run to the hosts listed in FILE.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-cli-").FullName;

    public CommandLineTests()
    {
        File.WriteAllText(Path.Combine(_dir, "hosts"), "a ansible_connection=local\nb ansible_connection=local\nc ansible_connection=local\n");
        File.WriteAllText(Path.Combine(_dir, "p.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: \"on {{ inventory_hostname }}\"}\n");
        File.WriteAllText(Path.Combine(_dir, "pw"), "secret\n");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private (int Rc, string Out, string Err) Runner(params string[] args) =>
        RunnerCli.RunCommand(_dir, args, new Dictionary<string, string> { ["NO_COLOR"] = "1" });

    /// <summary>The usage of <paramref name="prog"/> first, then exactly one error line, last, holding <paramref name="error"/>.</summary>
    private static void UsageAndOneError(int rc, string err, string prog, string error)
    {
        Assert.True(rc == 2, $"exit {rc}\n{err}");
        var lines = err.TrimEnd('\n').Split('\n');
        Assert.StartsWith($"usage: {prog} [-h]", lines[0]);
        Assert.Single(lines, l => l.Contains(": error: "));
        Assert.Equal($"{prog}: error: {error}", lines[^1]);
        Assert.DoesNotContain("   at ", err);
        Assert.DoesNotContain("Exception", err);
    }

    public static IEnumerable<object[]> BadCommandLines() => new[]
    {
        // missing value
        new object[] { "runner play", new[] { "play", "p.yml", "-i" }, "argument -i/--inventory/--inventory-file: expected one argument" },
        new object[] { "runner play", new[] { "play", "-i", "-C", "p.yml" }, "argument -i/--inventory/--inventory-file: expected one argument" },
        new object[] { "runner vars", new[] { "vars", "-i" }, "argument -i/--inventory/--inventory-file: expected one argument" },
        new object[] { "runner vars set", new[] { "vars", "set", "a", "k=v", "-i" }, "argument -i/--inventory/--inventory-file: expected one argument" },
        new object[] { "runner facts", new[] { "facts", "a", "-e" }, "argument -e/--extra-vars: expected one argument" },
        new object[] { "runner inventory", new[] { "inventory", "--host" }, "argument --host: expected one argument" },
        new object[] { "runner vault view", new[] { "vault", "view", "--vault-password-file" }, "argument --vault-password-file/--vault-pass-file: expected one argument" },
        new object[] { "runner vault encrypt_string", new[] { "vault", "encrypt_string", "-n" }, "argument -n/--name: expected one argument" },
        new object[] { "runner galaxy role install", new[] { "galaxy", "install", "-r" }, "argument -r/--role-file: expected one argument" },
        new object[] { "runner galaxy collection install", new[] { "galaxy", "collection", "install", "-p" }, "argument -p/--collections-path: expected one argument" },
        // bad number (doc, inventory, vars and vault have no numeric option, as their Ansible counterparts)
        new object[] { "runner play", new[] { "play", "-f", "abc", "p.yml" }, "argument -f/--forks: invalid int value: 'abc'" },
        new object[] { "runner play", new[] { "play", "-T", "abc", "p.yml" }, "argument -T/--timeout: invalid int value: 'abc'" },
        new object[] { "runner play", new[] { "play", "--timeout=1.5", "p.yml" }, "argument -T/--timeout: invalid int value: '1.5'" },
        new object[] { "runner play", new[] { "play", "-fx", "p.yml" }, "argument -f/--forks: invalid int value: 'x'" },
        new object[] { "runner play", new[] { "play", "--forks=0", "p.yml" }, "The number of processes (--forks) must be >= 1" },
        new object[] { "runner facts", new[] { "facts", "a", "-T", "soon" }, "argument -T/--timeout: invalid int value: 'soon'" },
        // unknown option
        new object[] { "runner play", new[] { "play", "--no-such-option", "p.yml" }, "unrecognized arguments: --no-such-option" },
        new object[] { "runner vars", new[] { "vars", "a", "--frob" }, "unrecognized arguments: --frob" },
        new object[] { "runner vars", new[] { "vars", "set", "a", "k=v", "--frob" }, "unrecognized arguments: --frob" },
        new object[] { "runner facts", new[] { "facts", "a", "-x" }, "unrecognized arguments: -x" },
        new object[] { "runner doc", new[] { "doc", "-x", "copy" }, "unrecognized arguments: -x" },
        new object[] { "runner inventory", new[] { "inventory", "--list", "--frob" }, "unrecognized arguments: --frob" },
        new object[] { "runner vault", new[] { "vault", "view", "--frob", "x.yml" }, "unrecognized arguments: --frob" },
        new object[] { "runner galaxy", new[] { "galaxy", "install", "--frob" }, "unrecognized arguments: --frob" },
        new object[] { "runner galaxy", new[] { "galaxy", "role", "list", "a", "b" }, "unrecognized arguments: b" },
        // missing positional, bad action, exclusive options
        new object[] { "runner play", new[] { "play", "-i", "hosts" }, "the following arguments are required: playbook" },
        new object[] { "runner facts", new[] { "facts" }, "the following arguments are required: HOST" },
        new object[] { "runner vault", new[] { "vault", "frob" }, "argument action: invalid choice: 'frob' (choose from 'create', 'decrypt', 'edit', 'view', 'encrypt', 'encrypt_string', 'rekey')" },
        new object[] { "runner galaxy role", new[] { "galaxy", "role", "frob" }, "argument action: invalid choice: 'frob' (choose from 'install', 'list')" },
        new object[] { "runner galaxy collection list", new[] { "galaxy", "collection", "list", "--format", "xml" }, "argument --format: invalid choice: 'xml' (choose from 'human', 'json')" },
        new object[] { "runner galaxy role install", new[] { "galaxy", "install", "-n", "--force-with-deps", "x" }, "argument --force-with-deps: not allowed with argument -n/--no-deps" },
        new object[] { "runner play", new[] { "play", "--list", "p.yml" }, "ambiguous option: --list could match --list-hosts, --list-tasks, --list-tags" },
        new object[] { "runner play", new[] { "play", "--vault-pass", "pw", "p.yml" }, "ambiguous option: --vault-pass could match --vault-password-file, --vault-pass-file" },
        new object[] { "runner play", new[] { "play", "--ask-vault-pass", "--vault-password-file", "pw", "p.yml" }, "argument --vault-password-file/--vault-pass-file: not allowed with argument --ask-vault-password/--ask-vault-pass" },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void A_bad_command_line_is_the_usage_one_error_line_and_exit_2(string prog, string[] args, string error)
    {
        var (rc, stdout, err) = Runner(args);
        UsageAndOneError(rc, err, prog, error);
        Assert.Equal("", stdout);
    }

    [Theory]
    [InlineData("play")]
    [InlineData("vars")]
    [InlineData("vars", "set")]
    [InlineData("vars", "unset")]
    [InlineData("facts")]
    [InlineData("doc")]
    [InlineData("inventory")]
    [InlineData("vault")]
    [InlineData("vault", "encrypt_string")]
    [InlineData("vault", "rekey")]
    [InlineData("galaxy")]
    [InlineData("galaxy", "role", "install")]
    [InlineData("galaxy", "collection", "list")]
    public void Every_command_has_help(params string[] command)
    {
        var (rc, stdout, err) = Runner(command.Append("--help").ToArray());
        Assert.True(rc == 0, err);
        Assert.StartsWith($"usage: runner {string.Join(" ", command)} [-h]", stdout);
        Assert.Contains("-h, --help", stdout);
    }

    [Fact]
    public void Conflicting_inventory_actions_exit_5()
    {
        var (rc, _, err) = Runner("inventory", "-i", "hosts", "--list", "--graph");
        Assert.Equal(5, rc);
        Assert.Equal("ERROR! Conflicting options used, only one of --host, --graph or --list can be used at the same time.", err.Trim());
        (rc, _, err) = Runner("inventory", "-i", "hosts");
        Assert.Equal(5, rc);
        Assert.Contains("No action selected", err);
    }

    private static List<string> ListedHosts(string stdout) =>
        stdout.Split('\n').SkipWhile(l => !l.Contains("hosts (")).Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    [Fact]
    public void Limit_from_a_file_selects_the_hosts_listed_in_it()
    {
        File.WriteAllText(Path.Combine(_dir, "p.retry"), "a\nc\n");
        var (rc, stdout, err) = Runner("play", "-i", "hosts", "-l", "@p.retry", "p.yml");
        Assert.True(rc == 0, err);
        Assert.Contains("ok: [a]", stdout);
        Assert.Contains("ok: [c]", stdout);
        Assert.DoesNotContain("[b]", stdout);

        (rc, stdout, _) = Runner("play", "-i", "hosts", "--limit=@p.retry,b", "--list-hosts", "p.yml");
        Assert.Equal(0, rc);
        Assert.Equal(new[] { "a", "b", "c" }, ListedHosts(stdout).OrderBy(h => h));

        (rc, _, err) = Runner("play", "-i", "hosts", "-l", "@missing.txt", "p.yml");
        Assert.Equal(1, rc);
        Assert.Contains("Unable to find limit file missing.txt", err);
    }

    [Fact]
    public void The_last_limit_wins_as_in_ansible_playbook()
    {
        // measured: ansible-playbook -l a -l b --list-hosts lists only b; -l a,b -l b,c lists b and c
        var (rc, stdout, _) = Runner("play", "-i", "hosts", "-l", "a", "-l", "b", "--list-hosts", "p.yml");
        Assert.Equal(0, rc);
        Assert.Equal(new[] { "b" }, ListedHosts(stdout));
        (_, stdout, _) = Runner("play", "-i", "hosts", "-l", "a,b", "--limit", "b,c", "--list-hosts", "p.yml");
        Assert.Equal(new[] { "b", "c" }, ListedHosts(stdout).OrderBy(h => h));
    }

    [Fact]
    public void A_long_option_may_be_abbreviated_when_unambiguous()
    {
        // measured: ansible-playbook --list-h --lim=a lists host a
        var (rc, stdout, err) = Runner("play", "-i", "hosts", "--list-h", "--lim=a", "p.yml");
        Assert.True(rc == 0, err);
        Assert.Equal(new[] { "a" }, ListedHosts(stdout));
    }

    [Fact]
    public void Short_flags_bundle_and_options_take_attached_values()
    {
        var (rc, stdout, err) = Runner("play", "-Cvv", "-ihosts", "-la", "--forks=1", "-tall", "p.yml");
        Assert.True(rc == 0, err);
        Assert.Contains("ok: [a]", stdout);
        Assert.DoesNotContain("[b]", stdout);
        Assert.Contains("config file", stdout); // -v and more print the configuration file line
    }
}
