using Runner.Engine.Inventory;
using Runner.Engine.Values;

namespace Runner.Tests.Inventory;

/// <summary>Python ast.literal_eval subset used for INI values (expected values are Python 3.11's).</summary>
public class PyLiteralTests
{
    [Theory]
    [InlineData("5", 5L)]
    [InlineData("-5", -5L)]
    [InlineData("0x1F", 31L)]
    [InlineData("1_000", 1000L)]
    [InlineData("True", true)]
    [InlineData("'it''s'", "its")]
    [InlineData("\"a\\tb\"", "a\tb")]
    [InlineData("2.5e1", 25.0)]
    public void Literals_evaluate(string text, object expected) => Assert.Equal(expected, PyLiteral.ParseIniValue(text));

    [Theory]
    [InlineData("true")]
    [InlineData("0755")]
    [InlineData("hello world")]
    [InlineData("[1,")]
    [InlineData("1+2")]
    public void Non_literals_stay_text(string text) => Assert.Equal(text, PyLiteral.ParseIniValue(text));

    [Fact]
    public void Containers_evaluate()
    {
        Assert.Equal("{\"a\": [1, 2.0, null], \"b\": [\"x\"]}", PyStr.JsonDumps(PyLiteral.ParseIniValue("{'a': [1, 2.0, None], 'b': ('x',)}")));
        Assert.Equal(5L, PyLiteral.ParseIniValue("5  # comment"));
    }
}
