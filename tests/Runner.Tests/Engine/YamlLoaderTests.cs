using Runner.Engine.Errors;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Tests.Engine;

/// <summary>
/// YAML 1.1 scalars as Ansible (PyYAML) reads them; expected values from
/// shared/corpus/cases/018-yaml-booleans-and-types/expected.txt (ansible-playbook 2.14.18).
/// </summary>
public class YamlLoaderTests
{
    [Theory]
    [InlineData("yes", true)]
    [InlineData("no", false)]
    [InlineData("on", true)]
    [InlineData("off", false)]
    [InlineData("True", true)]
    [InlineData("NO", false)]
    public void Booleans(string text, bool expected) => Assert.Equal(expected, YamlLoader.ResolvePlain(text));

    [Fact]
    public void Numbers_and_strings()
    {
        var d = (Dict)YamlLoader.Load("v: y\nver: 1.10\nq: \"1.10\"\noct: 0755\nnine: 09\nsexa: 12:30\nt: ~\ne:\n", "t.yml")!;
        Assert.Equal("y", d["v"]);
        Assert.Equal(1.1, d["ver"]);
        Assert.Equal("1.10", d["q"]);
        Assert.Equal(493L, d["oct"]);
        Assert.Equal("09", d["nine"]);
        Assert.Equal(750L, d["sexa"]);
        Assert.Null(d["t"]);
        Assert.Null(d["e"]);
    }

    [Fact]
    public void Unquoted_jinja_at_value_start_is_a_parser_error_with_position()
    {
        var e = Assert.Throws<RunnerException>(() => YamlLoader.Load("- name: x\n  debug:\n    msg: {{ app }} is the app\n", "play.yml"));
        Assert.Equal(ExitCodes.ParserError, e.ExitCode);
        Assert.Equal("play.yml", e.Location!.File);
        Assert.Equal(3, e.Location.Line);
        Assert.Contains("quote", e.Message);
    }

    [Fact]
    public void Positions_of_keys_are_kept()
    {
        var d = (Dict)YamlLoader.Load("a: 1\nbb: 2\n", "f.yml")!;
        Assert.Equal(2, SourceMap.OfKey(d, "bb")!.Line);
    }

    [Fact]
    public void Merge_keys_apply()
    {
        var d = (Dict)YamlLoader.Load("base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n", "f.yml")!;
        var derived = (Dict)d["derived"]!;
        Assert.Equal(1L, derived["x"]);
        Assert.Equal(3L, derived["y"]);
    }
}
