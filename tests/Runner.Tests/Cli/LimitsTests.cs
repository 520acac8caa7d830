namespace Runner.Tests.Cli;

/// <summary>
/// Input that would exhaust the stack or memory gets one clear error naming the file, never a crash: YAML nested
/// deeper than the loader's limit, a YAML alias bomb, a task file importing itself (ansible-playbook: exit 250,
/// "maximum recursion depth exceeded"), a task file including itself with nothing to end it (ansible-playbook
/// recurses until memory runs out). A recursive include that ends is fine.
/// </summary>
public sealed class LimitsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-limits-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_dir, name), text);

    private (int Rc, string Out, string Err) Play(string playbook)
    {
        File.WriteAllText(Path.Combine(_dir, "hosts"), "localhost ansible_connection=local\n");
        return RunnerCli.Run(_dir, new[] { "-i", "hosts", playbook }, new Dictionary<string, string> { ["NO_COLOR"] = "1" });
    }

    private static string Play(string vars, string tasks) =>
        $"- hosts: localhost\n  gather_facts: false\n{vars}  tasks:\n{tasks}";

    private static void OneLine(string err, string contains)
    {
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(contains, lines[0]);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void Yaml_nested_too_deep_is_a_parser_error_naming_the_file()
    {
        Write("deep.yml", "a: " + new string('[', 20_000) + new string(']', 20_000) + "\n");
        Write("p.yml", Play("  vars_files: [deep.yml]\n", "    - debug: {msg: hi}\n"));
        var (rc, _, err) = Play("p.yml");
        Assert.Equal(4, rc);
        OneLine(err, "deep.yml:1:1003: YAML collections nested deeper than 1000 levels");
    }

    [Fact]
    public void A_yaml_alias_bomb_is_refused_before_it_is_expanded()
    {
        var sb = new System.Text.StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var c = 'b'; c <= 'i'; c++) sb.Append($"{c}: &{c} [{string.Join(",", Enumerable.Repeat("*" + (char)(c - 1), 9))}]\n");
        Write("bomb.yml", sb.ToString());
        Write("p.yml", Play("  vars_files: [bomb.yml]\n", "    - debug: {msg: hi}\n"));
        var (rc, _, err) = Play("p.yml");
        Assert.Equal(4, rc);
        OneLine(err, "bomb.yml:8:");
        Assert.Contains("YAML aliases expand to more than", err);
    }

    [Fact]
    public void A_task_file_importing_itself_is_refused_with_the_chain()
    {
        Write("a.yml", "- import_tasks: b.yml\n");
        Write("b.yml", "- import_tasks: a.yml\n");
        Write("p.yml", Play("", "    - import_tasks: a.yml\n"));
        var (rc, _, err) = Play("p.yml");
        Assert.Equal(250, rc);
        OneLine(err, "maximum recursion depth exceeded");
        Assert.Contains("(a.yml -> b.yml -> a.yml)", err);
    }

    [Fact]
    public void An_endless_include_stops_with_an_error_and_one_that_ends_runs()
    {
        Write("self.yml", "- include_tasks: self.yml\n");
        Write("p.yml", Play("", "    - include_tasks: self.yml\n"));
        var (rc, _, err) = Play("p.yml");
        Assert.Equal(1, rc);
        OneLine(err, "includes nested deeper than 256 levels");

        Write("count.yml", "- set_fact: {n: \"{{ n | int + 1 }}\"}\n- include_tasks: count.yml\n  when: n | int < 200\n");
        Write("q.yml", Play("  vars: {n: 0}\n", "    - include_tasks: count.yml\n    - debug: {msg: \"n={{ n }}\"}\n"));
        var (rc2, out2, _) = Play("q.yml");
        Assert.Equal(0, rc2);
        Assert.Contains("\"msg\": \"n=200\"", out2);
    }
}
