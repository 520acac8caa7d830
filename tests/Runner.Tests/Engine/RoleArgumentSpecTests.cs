using Runner.Cli;

namespace Runner.Tests.Engine;

/// <summary>
/// Role argument validation (ansible-core 2.14's _prepend_validation_task and the validate_argument_spec action): a
/// role with meta/argument_specs.yml gets a first task "Validating arguments against arg spec 'main' - SHORT" that
/// checks the role's variables and parameters; expected outputs are ansible-playbook 2.14's for the same plays.
/// </summary>
public sealed class RoleArgumentSpecTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("runner-argspec-").FullName;

    public RoleArgumentSpecTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "roles/demo/meta"));
        Directory.CreateDirectory(Path.Combine(_dir, "roles/demo/tasks"));
        Directory.CreateDirectory(Path.Combine(_dir, "roles/demo/defaults"));
        File.WriteAllText(Path.Combine(_dir, "inventory.yml"), "all:\n  hosts:\n    box:\n      ansible_connection: local\n");
        File.WriteAllText(Path.Combine(_dir, "roles/demo/meta/argument_specs.yml"), """
            argument_specs:
              main:
                short_description: The demo role
                options:
                  demo_port: {type: int, required: true, description: "The port, default {{ 80 }}"}
                  demo_mode: {type: str, choices: [a, b], default: a}
                  demo_list: {type: list, elements: str}
            """);
        File.WriteAllText(Path.Combine(_dir, "roles/demo/defaults/main.yml"), "demo_list: [x, y]\n");
        File.WriteAllText(Path.Combine(_dir, "roles/demo/tasks/main.yml"), "- debug: msg=\"port {{ demo_port }}\"\n");
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private async Task<(int Rc, string Out)> Play(string playbook)
    {
        File.WriteAllText(Path.Combine(_dir, "site.yml"), playbook);
        var output = new StringWriter();
        var rc = await PlayCommand.RunAsync(new List<string> { "-i", Path.Combine(_dir, "inventory.yml"), Path.Combine(_dir, "site.yml") }, output);
        return (rc, output.ToString());
    }

    [Fact]
    public async Task Valid_parameters_pass_and_a_bad_choice_and_an_unknown_parameter_fail_as_ansible()
    {
        var (rc, text) = await Play("""
            - hosts: all
              gather_facts: false
              roles:
                - role: demo
                  demo_port: "8080"
                - role: demo
                  demo_port: 1
                  demo_mode: c
                  rolespec_validate: true
            """);
        Assert.Equal(2, rc);
        Assert.Contains("TASK [demo : Validating arguments against arg spec 'main' - The demo role] *****\nok: [box]", text);
        Assert.Contains("\"msg\": \"port 8080\"", text);
        // 2.14 passes rolespec_validate as a role parameter, which the spec does not name
        Assert.Contains("\"msg\": \"Validation of arguments failed:\\nvalue of demo_mode must be one of: a, b, got: c\\n" +
            "rolespec_validate. Supported parameters include: demo_list, demo_mode, demo_port.\"", text);
        Assert.Contains("\"argument_spec_data\": {\"demo_list\": {\"elements\": \"str\", \"type\": \"list\"}, \"demo_mode\": {\"choices\": [\"a\", \"b\"], " +
            "\"default\": \"a\", \"type\": \"str\"}, \"demo_port\": {\"description\": \"The port, default 80\", \"required\": true, \"type\": \"int\"}}", text);
        Assert.Contains("\"validate_args_context\": {\"argument_spec_name\": \"main\", \"name\": \"demo\", \"path\": \"" + Path.Combine(_dir, "roles/demo") + "\", \"type\": \"role\"}", text);
    }

    [Fact]
    public async Task Include_role_checks_the_variables_and_a_missing_required_one_fails()
    {
        var (rc, text) = await Play("""
            - hosts: all
              gather_facts: false
              tasks:
                - include_role: {name: demo}
                  vars: {demo_port: 5}
                - include_role: {name: demo}
            """);
        Assert.Equal(2, rc);
        Assert.Contains("\"msg\": \"port 5\"", text);
        Assert.Contains("\"msg\": \"Validation of arguments failed:\\nmissing required arguments: demo_port\"", text);
    }

    [Fact]
    public async Task Rolespec_validate_false_adds_no_validation_task()
    {
        var (rc, text) = await Play("""
            - hosts: all
              gather_facts: false
              tasks:
                - include_role: {name: demo, rolespec_validate: false}
                  vars: {demo_port: 5}
            """);
        Assert.Equal(0, rc);
        Assert.DoesNotContain("Validating arguments", text);
    }
}
