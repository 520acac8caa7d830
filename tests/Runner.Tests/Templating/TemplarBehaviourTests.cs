// Expected values come from the corpus (/work/shared/corpus/cases/*/expected.txt, cited per test) or from
// tests/ansible-recordings/templating-recorded.json (ansible-core 2.14.18), recorded by record-templating.sh.
using Runner.Engine.Templating;
using Runner.Engine.Values;

namespace Runner.Tests.Templating;

public class TemplarBehaviourTests
{
    private static readonly Templar T = new();

    private static DictionaryScope Vars(params (string, object?)[] kv) =>
        new(kv.ToDictionary(x => x.Item1, x => x.Item2));

    // case 010-when-undefined-defined
    private static DictionaryScope Case010() => Vars(
        ("empty_string", ""), ("str_false", "false"), ("str_no", "no"), ("str_yes", "yes"), ("str_other", "banana"),
        ("bool_false", false), ("zero", 0L), ("items_present", new List<object?> { "a", "b" }));

    [Theory]
    [InlineData("undefined_var is defined", false)]
    [InlineData("undefined_var is not defined", true)]
    [InlineData("undefined_var | default(false)", false)]
    [InlineData("undefined_dict.key is defined", false)]
    [InlineData("empty_string", false)]
    [InlineData("str_false", true)]
    [InlineData("str_no", true)]
    [InlineData("str_other", true)]
    [InlineData("str_false | bool", false)]
    [InlineData("bool_false", false)]
    [InlineData("zero", false)]
    [InlineData("items_present | length == 2", true)]
    [InlineData("'a' in items_present", true)]
    [InlineData("{{ items_present | length > 1 }}", true)]
    public void Conditionals_follow_case_010(string cond, bool expected) =>
        Assert.Equal(expected, T.EvaluateConditional(cond, Case010()));

    [Fact]
    public void Undefined_in_conditional_has_ansible_wording()
    {
        var e = Assert.Throws<UndefinedVariableError>(() => T.EvaluateConditional("undefined_var", Case010()));
        Assert.Equal("The conditional check 'undefined_var' failed. The error was: error while evaluating conditional (undefined_var): 'undefined_var' is undefined. 'undefined_var' is undefined", e.Message);
    }

    [Fact]
    public void Conditional_templated_to_string_false_is_evaluated_again()
    {
        // recording: when: "{{ 'false' }}" was skipped
        Assert.False(T.EvaluateConditional("{{ 'false' }}", Case010()));
        Assert.False(T.EvaluateConditional(null, Case010()));
        Assert.True(T.EvaluateConditional(true, Case010()));
    }

    [Theory]
    [InlineData("{{ nope }}", "'nope' is undefined")]
    [InlineData("{{ d.zz }}", "'dict object' has no attribute 'zz'")]
    [InlineData("{{ nope.zz }}", "'nope' is undefined")]
    [InlineData("x {{ nope + 1 }}", "'nope' is undefined")]
    [InlineData("{% for x in nope %}{% endfor %}", "'nope' is undefined")]
    public void Undefined_errors_have_ansible_messages(string template, string message)
    {
        var e = Assert.Throws<UndefinedVariableError>(() => T.Template(template, Vars(("d", new Dict { ["a"] = 1L }))));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Mandatory_message_matches_ansible()
    {
        var e = Assert.Throws<TemplateError>(() => T.Template("{{ nope | mandatory }}", Vars()));
        Assert.Equal("Mandatory variable 'nope'  not defined.", e.Message);
    }

    [Fact]
    public void Recursive_variable_is_an_error()
    {
        var e = Assert.Throws<TemplateError>(() => T.Template("{{ a }}", Vars(("a", "{{ a }}"))));
        // read through the variable: ansible-core wraps it once per level ("An unhandled exception occurred while templating")
        Assert.StartsWith("An unhandled exception occurred while templating '{{ a }}'. Error was a <class 'ansible.errors.AnsibleError'>", e.Message);
        Assert.EndsWith("recursive loop detected in template string: {{ a }}", e.Message);
    }

    [Fact]
    public void Syntax_error_is_a_template_error_with_the_string()
    {
        var e = Assert.Throws<TemplateSyntaxError>(() => T.Template("{{ a b }}", Vars(("a", 1L))));
        // ansible-core 2.14 (ansible localhost -m debug -a 'msg="{{ a b }}"'): Jinja's message again after the String
        Assert.Equal("template error while templating string: expected token 'end of print statement', got 'b'. String: {{ a b }}. expected token 'end of print statement', got 'b'", e.Message);
    }

    [Fact]
    public void Case_018_none_prints_empty_inside_text_and_yaml_types_print_pythonically()
    {
        var vars = Vars(("v_yes", true), ("tilde", null), ("version", 1.1), ("octal", 493L), ("item", "tilde"));
        Assert.Equal("tilde =  (none)", T.Template("{% set v = lookup('vars', item) %}{{ item }} = {{ v }} ({{ 'none' if v is none else 'other' }})", vars));
        Assert.Equal("enabled=True\nversion=1.1\nmode=493\nempty=\n", T.Template("enabled={{ v_yes }}\nversion={{ version }}\nmode={{ octal }}\nempty={{ tilde }}\n", vars));
        Assert.Equal("enabled_lower=true", T.Template("enabled_lower={{ v_yes | lower }}", vars));
    }

    [Fact]
    public void Case_021_default_variants()
    {
        var vars = Vars(("empty_string", ""), ("none_value", null));
        var got = T.Template(new List<object?>
        {
            "{{ undefined_thing | default('d') }}", "{{ empty_string | default('d') }}", "{{ empty_string | default('d', true) }}",
            "{{ none_value | default('d') }}", "{{ none_value | default('d', true) }}",
        }, vars);
        Assert.Equal("[\"d\", \"\", \"d\", \"\", \"d\"]", PyStr.JsonDumps(got));
    }

    [Fact]
    public void Case_021_filters_text()
    {
        var vars = Vars(("path", "/etc/nginx/conf.d/site.conf"), ("names", new List<object?> { "web1", "db1", "web2" }),
            ("config", new Dict { ["zeta"] = 1L, ["alpha"] = new Dict { ["second"] = 2L, ["first"] = 1L }, ["mid"] = new List<object?> { "b", "a" } }));
        Assert.Equal("site.conf | /etc/nginx/conf.d |  | ['/etc/nginx/conf.d/site', '.conf']",
            T.Template("{{ path | basename }} | {{ path | dirname }} | {{ '/trailing/slash/' | basename }} | {{ path | splitext | list }}", vars));
        Assert.Equal("{\"zeta\": 1, \"alpha\": {\"second\": 2, \"first\": 1}, \"mid\": [\"b\", \"a\"]}", T.Template("{{ config | to_json }}", vars));
        Assert.Equal("{\n    \"alpha\": {\n        \"first\": 1,\n        \"second\": 2\n    },\n    \"mid\": [\n        \"b\",\n        \"a\"\n    ],\n    \"zeta\": 1\n}", T.Template("{{ config | to_nice_json }}", vars));
        Assert.Equal("alpha: {first: 1, second: 2}\nmid: [b, a]\nzeta: 1\n", T.Template("{{ config | to_yaml }}", vars));
        Assert.Equal("alpha:\n    first: 1\n    second: 2\nmid:\n- b\n- a\nzeta: 1\n", T.Template("{{ config | to_nice_yaml }}", vars));
        Assert.Equal("zeta: 1\nalpha:\n  second: 2\n  first: 1\nmid:\n- b\n- a\n", T.Template("{{ config | to_nice_yaml(indent=2, sort_keys=false) }}", vars));
        Assert.Equal("web1,db1,web2 | mixed | MIXED | [padded]", T.Template("{{ names | join(',') }} | {{ 'MiXeD' | lower }} | {{ 'MiXeD' | upper }} | [{{ '  padded \n' | trim }}]", vars));
        Assert.Equal("42 4 0 7 26 10 3", T.Template("{{ '42' | int }} {{ '4.7' | int }} {{ 'abc' | int }} {{ 'abc' | int(7) }} {{ '0x1A' | int(0, 16) }} {{ '010' | int }} {{ 3.9 | int }}", vars));
        Assert.Equal("[3, 1, 2] [1, 2, 3] 3 3 web1 web2 [1, 2, 3]", T.Template("{{ [3, 1, 2, 3] | unique | list }} {{ [3, 1, 2] | sort }} {{ [3, 1, 2] | max }} {{ names | length }} {{ names | first }} {{ names | last }} {{ [[1, [2]], 3] | flatten }}", vars));
        Assert.Equal("many 'two words' plain", T.Template("{{ (names | length > 2) | ternary('many', 'few') }} {{ 'two words' | quote }} {{ 'plain' | quote }}", vars));
        Assert.Equal("dXNlcjpwYXNz | user:pass", T.Template("{{ 'user:pass' | b64encode }} | {{ 'dXNlcjpwYXNz' | b64decode }}", vars));
    }

    [Fact]
    public void Case_021_regex_filters_with_backslashes_kept_in_task_strings()
    {
        Assert.Equal("hell0 w0rld", T.Template("{{ 'hello world' | regex_replace('o', '0') }}", Vars()));
        Assert.Equal("01-host", T.Template(@"{{ 'host-01.example.com' | regex_replace('^(\w+)-(\d+)\..*$', '\2-\1') }}", Vars()));
        Assert.Equal("1.22", T.Template(@"{{ 'version 1.22.3' | regex_search('\d+\.\d+') }}", Vars()));
        Assert.Equal("", T.Template(@"{{ 'no digits' | regex_search('\d+') }}", Vars()));
    }

    [Theory]
    [InlineData("yes", "True")] [InlineData("no", "False")] [InlineData("on", "True")] [InlineData("off", "False")]
    [InlineData("true", "True")] [InlineData("TRUE", "True")] [InlineData("y", "False")] [InlineData("n", "False")]
    [InlineData("1", "True")] [InlineData("0", "False")] [InlineData("banana", "False")] [InlineData("", "False")]
    public void Case_021_bool_filter(string item, string expected) =>
        Assert.Equal($"{item} -> {expected}", T.Template("{{ item }} -> {{ item | bool }}", Vars(("item", item))));

    [Fact]
    public void Case_019_attribute_path_renders_to_string_but_bare_variable_keeps_type()
    {
        var vars = Vars(("item", new Dict { ["mode"] = 420L }), ("i", 1L), ("n", null));
        Assert.Equal("420", T.Template("{{ item.mode }}", vars));
        Assert.Equal(1L, T.Template("{{ i }}", vars));
        Assert.Null(T.Template("{{ n }}", vars));
        Assert.Equal("", T.Template("{{ n }} ", vars) is string s ? s.Trim() : "not a string");
    }

    [Fact]
    public void Template_walks_dicts_and_lists_and_keeps_trailing_newlines()
    {
        var got = T.Template(new Dict { ["a"] = "{{ x }}\n", ["b"] = new List<object?> { "{{ x }}-y" } }, Vars(("x", "v")));
        Assert.Equal("{\"a\": \"v\\n\", \"b\": [\"v-y\"]}", PyStr.JsonDumps(got));
    }

    [Fact]
    public void Template_file_trims_block_newlines_and_keeps_the_final_newline()
    {
        var text = "{% for u in users %}\n{{ u }}\n{% endfor %}\nend\n";
        Assert.Equal("a\nb\nend\n", T.RenderTemplateFile(text, Vars(("users", new List<object?> { "a", "b" })), "x.j2"));
        Assert.Equal("a\\tb\n", T.RenderTemplateFile("{{ 'a\\\\tb' }}\n", Vars(), "x.j2"));
    }

    [Fact]
    public void Lookups_file_first_found_template_env()
    {
        var dir = Directory.CreateTempSubdirectory("tpl-lookup").FullName;
        Directory.CreateDirectory(Path.Combine(dir, "files"));
        File.WriteAllText(Path.Combine(dir, "files", "motd.txt"), "hello {{ who }}\n\n");
        File.WriteAllText(Path.Combine(dir, "t.j2"), "hi {{ who }}\n");
        var vars = new DictionaryScope(new Dictionary<string, object?> { ["who"] = "bob" }, new[] { dir });
        Assert.Equal("hello {{ who }}", T.Template("{{ lookup('file', 'motd.txt') }}", vars));
        Assert.Equal(Path.Combine(dir, "files", "motd.txt"), T.Template("{{ lookup('first_found', ['missing.txt', 'motd.txt']) }}", vars));
        Assert.Equal("hi bob\n", T.Template("{{ lookup('template', 't.j2') }}", vars));
        Assert.Equal("", T.Template("{{ lookup('env', 'RUNNER_SURELY_UNSET_VAR') }}", vars));
        var e = Assert.Throws<TemplateError>(() => T.Template("{{ lookup('file', 'absent.txt') }}", vars));
        Assert.Contains("could not locate file in lookup: absent.txt", e.Message);
    }

    [Fact]
    public void Scriban_templates_render_with_variables()
    {
        var vars = Vars(("name", "web"), ("ports", new List<object?> { 80L, 443L }), ("cfg", new Dict { ["port_name"] = "{{ name }}-p" }));
        Assert.Equal("web: 80,443, web-p", T.RenderScriban("{{ name }}: {{ ports | array.join \",\" }}, {{ cfg.port_name }}", vars, "x.sbn"));
        Assert.Throws<TemplateError>(() => T.RenderScriban("{{ if }}", vars, "bad.sbn"));
    }

    [Fact]
    public void Evaluate_expression_returns_native_values()
    {
        var vars = Vars(("l", new List<object?> { 1L, 2L }));
        Assert.Equal(new List<object?> { 2L, 4L }, T.EvaluateExpression("l | map('int') | map('string') | map('int') | list | map('abs') | list | sum * 0 + 2 if false else [2, 4]", vars));
        Assert.Throws<UndefinedVariableError>(() => T.EvaluateExpression("missing", vars));
    }

    [Fact]
    public void Templar_is_safe_from_several_threads()
    {
        var vars = Vars(("i", 1L), ("l", new List<object?> { 1L, 2L, 3L }));
        var results = new System.Collections.Concurrent.ConcurrentBag<object?>();
        Parallel.For(0, 200, n => results.Add(T.Template($"{{{{ l | sum + i + {n % 5} }}}}", vars)));
        Assert.Equal(200, results.Count);
        Assert.All(results, r => Assert.Contains((string)r!, new[] { "7", "8", "9", "10", "11" }));
    }
}
