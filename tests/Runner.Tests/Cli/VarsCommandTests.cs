using Runner.Cli;
using Runner.Engine.Errors;

namespace Runner.Tests.Cli;

/// <summary>
/// `runner vars`: effective values and their origins follow Ansible's precedence ladder (expected values are
/// ansible-playbook 2.14's observed results in shared/corpus/cases/011-variable-precedence/expected.txt), and
/// `vars set/unset` edit host_vars files in place, byte-for-byte except the edited line.
/// </summary>
public sealed class VarsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-vars-").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    private static string Case011 => Path.GetFullPath(Path.Combine(Lab.LabEnvironment.RepoRoot, "..", "shared", "corpus", "cases", "011-variable-precedence"));

    private static string Run(params string[] args)
    {
        var output = new StringWriter();
        var rc = VarsCommand.Run(args, output);
        Assert.Equal(0, rc);
        return output.ToString();
    }

    [Fact]
    public void Effective_values_match_ansibles_ladder_for_case_011()
    {
        if (!Directory.Exists(Case011)) return; // ../shared is absent outside CI checkouts
        var json = Run("host1", "-i", Path.Combine(Case011, "inventory", "hosts.yml"), "--playbook", Path.Combine(Case011, "playbook.yml"), "-e", "l18=extra-vars");
        // play-level values (block/task vars, include_vars and set_fact come at run time, not here)
        foreach (var (key, value) in new[]
                 {
                     ("l01", "role-defaults"), ("l02", "inventory-file-all"), ("l03", "inventory-file-web"),
                     ("l04", "inventory-group_vars-all"), ("l05", "playbook-group_vars-all"), ("l06", "inventory-group_vars-web"),
                     ("l07", "playbook-group_vars-web"), ("l08", "inventory-file-host"), ("l09", "inventory-host_vars"),
                     ("l10", "playbook-host_vars"), ("l11", "play-vars"), ("l12", "vars_files"), ("l13", "role-vars"), ("l18", "extra-vars"),
                 })
            Assert.Contains($"\"{key}\": \"{value}\"", json);
    }

    [Fact]
    public void Explain_names_the_winning_level_file_and_line_and_what_it_beat()
    {
        if (!Directory.Exists(Case011)) return;
        var cwd = Directory.GetCurrentDirectory();
        var text = Run("host1", "-i", Path.Combine(Case011, "inventory", "hosts.yml"), "--playbook", Path.Combine(Case011, "playbook.yml"), "--explain");
        var l13 = text.Split('\n').SkipWhile(l => !l.StartsWith("l13 = ")).Take(4).ToList();
        Assert.Equal("l13 = \"role-vars\"", l13[0]);
        Assert.Matches(@"^    role vars\s+\S*roles/prec/vars/main.yml:2:1$", l13[1]);
        Assert.Matches(@"^      beats vars_files\s+\S*vars/common.yml:3:1 = ""vars_files""$", l13[2]);
        Assert.Matches(@"^      beats play vars\s+\S*playbook.yml:\d+:\d+ = ""play-vars""$", l13[3]);
        var l09 = text.Split('\n').SkipWhile(l => !l.StartsWith("l09 = ")).Take(3).ToList();
        Assert.Matches(@"^    inventory host_vars/\*\s+\S*inventory/host_vars/host1.yml:2:1$", l09[1]);
        Assert.Matches(@"^      beats inventory file or script host vars\s+\S*inventory/hosts.yml:\d+:\d+ = ""inventory-file-host""$", l09[2]);
    }

    [Fact]
    public void Set_and_unset_edit_host_vars_in_place()
    {
        File.WriteAllText(Path.Combine(_dir, "hosts.yml"), "all:\n  hosts:\n    web1:\n");
        Directory.CreateDirectory(Path.Combine(_dir, "host_vars"));
        var file = Path.Combine(_dir, "host_vars", "web1.yml");
        const string original = "---\n# the web node\nport: 80   # public port\n\n# TLS\ntls: true\nname: web\n";
        File.WriteAllText(file, original);
        var inv = Path.Combine(_dir, "hosts.yml");

        var output = new StringWriter();
        Assert.Equal(0, VarsEdit.Run(new[] { "set", "web1", "port=8443", "-i", inv }, output));
        Assert.StartsWith("changed:", output.ToString());
        Assert.Equal(original.Replace("port: 80 ", "port: 8443 "), File.ReadAllText(file));
        Assert.Contains("\"port\": 8443", Run("web1", "-i", inv));

        output = new StringWriter();
        VarsEdit.Run(new[] { "set", "web1", "port=8443", "-i", inv }, output);
        Assert.StartsWith("ok:", output.ToString());

        VarsEdit.Run(new[] { "set", "web1", "mode='0755'", "-i", inv }, new StringWriter());
        Assert.Contains("\"mode\": \"0755\"", Run("web1", "-i", inv)); // a YAML string: written quoted, read back as text
        Assert.Contains("mode: '0755'", File.ReadAllText(file));
        VarsEdit.Run(new[] { "set", "web1", "octal=0755", "-i", inv }, new StringWriter());
        Assert.Contains("\"octal\": 493", Run("web1", "-i", inv)); // plain 0755 is YAML 1.1 octal, as Ansible reads it
        VarsEdit.Run(new[] { "unset", "web1", "octal", "-i", inv }, new StringWriter());
        VarsEdit.Run(new[] { "unset", "web1", "mode", "-i", inv }, new StringWriter());
        VarsEdit.Run(new[] { "set", "web1", "port=80", "-i", inv }, new StringWriter());
        Assert.Equal(original, File.ReadAllText(file));
    }

    [Fact]
    public void An_unparsable_file_is_refused_and_left_alone()
    {
        File.WriteAllText(Path.Combine(_dir, "hosts.yml"), "all:\n  hosts:\n    web1:\n");
        Directory.CreateDirectory(Path.Combine(_dir, "host_vars"));
        var file = Path.Combine(_dir, "host_vars", "web1.yml");
        const string broken = "port: [80\nname: web\n";
        File.WriteAllText(file, broken);
        var e = Assert.Throws<RunnerException>(() => VarsEdit.Run(new[] { "set", "web1", "port=1", "-i", Path.Combine(_dir, "hosts.yml") }, new StringWriter()));
        Assert.Contains(file, e.Describe());
        Assert.Equal(broken, File.ReadAllText(file));
    }
}
