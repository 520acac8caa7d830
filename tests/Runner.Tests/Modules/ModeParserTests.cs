using Runner.Modules.Common;

namespace Runner.Tests.Modules;

public class ModeParserTests
{
    [Theory]
    [InlineData(420L, 0x1A4)]      // YAML 0644 -> 420 -> 0o644
    [InlineData(644L, 0x284)]      // decimal 644 -> 0o1204 (case 019)
    [InlineData(2750L, 0xABE)]     // decimal 2750 -> 0o5276 (case 019)
    [InlineData("0644", 0x1A4)]
    [InlineData("644", 0x1A4)]
    [InlineData("2750", 0x5E8)]    // 0o2750
    [InlineData("420", 0x110)]     // templated int text is read as octal: 0o420 (case 019)
    [InlineData("u=rw,g=r,o=", 0x1A0)] // 0o640
    [InlineData("u+x", 0x1E4)]     // 0o744 from 0o644
    [InlineData("a-w", 0x124)]     // 0o444
    [InlineData("g+s", 0x5A4)]     // 0o2644
    [InlineData("go=u", 0x1B6)]    // 0o666
    public void Resolves(object mode, int expected)
    {
        Assert.Equal(expected, ModeParser.Resolve(mode, 0x1A4, false, out var err));
        Assert.Null(err);
    }

    [Theory]
    [InlineData("384")]
    [InlineData("rwx")]
    [InlineData("u=rwz")]
    public void RejectsBadForms(string mode)
    {
        Assert.Null(ModeParser.Resolve(mode, 0x1A4, false, out var err));
        Assert.Equal("mode must be in octal or symbolic form", err);
    }

    [Fact]
    public void CapitalXOnlyForDirsOrExecutables()
    {
        Assert.Equal(0x1A4, ModeParser.Resolve("a+X", 0x1A4, false, out _));
        Assert.Equal(0x1ED, ModeParser.Resolve("a+X", 0x1A4, true, out _));
    }

    [Fact]
    public void ResultTexts()
    {
        Assert.Equal("0644", ModeParser.FileResultText(0x1A4));
        Assert.Equal("02750", ModeParser.FileResultText(0x5E8));
        Assert.Equal("2750", ModeParser.StatText(0x5E8));
        Assert.Equal("0644", ModeParser.StatText(0x1A4));
    }
}
