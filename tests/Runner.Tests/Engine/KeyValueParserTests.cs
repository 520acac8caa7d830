using Runner.Engine.Playbooks;
using Runner.Engine.Execution;

namespace Runner.Tests.Engine;

/// <summary>Ansible's k=v argument strings (parse_kv) and with_sequence, as 2.14 reads them.</summary>
public class KeyValueParserTests
{
    [Fact]
    public void Jinja_blocks_stay_in_one_value()
    {
        var d = KeyValueParser.Parse("msg={{ app }}-kv", false);
        Assert.Equal("{{ app }}-kv", d["msg"]);
    }

    [Fact]
    public void Quoted_values_lose_their_quotes()
    {
        var d = KeyValueParser.Parse("path=/tmp/x state='directory' mode=\"0755\"", false);
        Assert.Equal("directory", d["state"]);
        Assert.Equal("0755", d["mode"]);
    }

    [Fact]
    public void Free_form_keeps_command_text_and_extracts_known_options()
    {
        var d = KeyValueParser.Parse("touch /tmp/a creates=/tmp/a", true, Keywords.FreeFormOptions);
        Assert.Equal("/tmp/a", d["creates"]);
        Assert.Equal("touch /tmp/a", d["_raw_params"]);
    }

    [Fact]
    public void Free_form_keeps_unknown_assignments_in_the_command()
    {
        var d = KeyValueParser.Parse("echo a=b", true, Keywords.FreeFormOptions);
        Assert.Equal("echo a=b", d["_raw_params"]);
    }

    [Fact]
    public void Non_key_value_text_is_refused_for_plain_modules() =>
        Assert.Throws<FormatException>(() => KeyValueParser.Parse("just words", false));

    [Theory]
    [InlineData("start=1 end=3 format=n%02d", "n01,n02,n03")]
    [InlineData("start=0 end=10 stride=5", "0,5,10")]
    [InlineData("4-6", "4,5,6")]
    [InlineData("count=3", "1,2,3")]
    public void Sequence(string spec, string expected) =>
        Assert.Equal(expected, string.Join(",", LoopItems.Sequence(spec)));

    [Theory]
    [InlineData(null, "a,b,c,d,e")]
    [InlineData(2L, "a,b|c,d|e")]
    [InlineData("40%", "a,b|c,d|e")]
    public void Serial_batches(object? serial, string expected)
    {
        var batches = Batches.Split(new List<string> { "a", "b", "c", "d", "e" }, serial);
        Assert.Equal(expected, string.Join("|", batches.Select(b => string.Join(",", b))));
    }
}
