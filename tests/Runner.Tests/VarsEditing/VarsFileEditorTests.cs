using System.Text;
using Runner.Engine.Errors;
using Runner.Engine.Values;
using Runner.Engine.Variables;
using Runner.Engine.Yaml;

namespace Runner.Tests.VarsEditing;

/// <summary>VarsFileEditor: in-place edits of host_vars files that keep every other byte.</summary>
public sealed class VarsFileEditorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "runner-vars-" + Guid.NewGuid().ToString("N"));

    public VarsFileEditorTests() => Directory.CreateDirectory(_dir);
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    private string Write(string text, string name = "web1.yml")
    {
        var p = Path.Combine(_dir, name);
        File.WriteAllText(p, text, new UTF8Encoding(false));
        return p;
    }

    private static Dict Load(string path) => (Dict)YamlLoader.LoadFile(path)!;

    private const string Sample =
        "---\n" +
        "# Web server settings\n" +
        "http_port: 80   # the public port\n" +
        "\n" +
        "users:\n" +
        "  - alice\n" +
        "  - bob    # admin\n" +
        "  # - carol (disabled)\n" +
        "\n" +
        "motd: |\n" +
        "  Welcome\n" +
        "  to web1\n" +
        "\n" +
        "# trailing comment\n" +
        "enabled: yes\n";

    [Fact]
    public void SetScalarReplacesOnlyTheValueText()
    {
        var p = Write(Sample);
        var r = VarsFileEditor.Set(p, "http_port", 8080L);
        Assert.True(r.Changed);
        Assert.True(r.HadOldValue);
        Assert.Equal(80L, r.OldValue);
        Assert.Equal(8080L, r.NewValue);
        Assert.Equal(Sample.Replace("http_port: 80   #", "http_port: 8080   #"), File.ReadAllText(p));
    }

    [Fact]
    public void SettingTheSameValueLeavesTheFileByteIdentical()
    {
        var p = Write(Sample);
        var before = File.ReadAllBytes(p);
        var r = VarsFileEditor.Set(p, "users", new List<object?> { "alice", "bob" });
        Assert.False(r.Changed);
        Assert.False(VarsFileEditor.Set(p, "enabled", true).Changed);
        Assert.False(VarsFileEditor.Set(p, "motd", "Welcome\nto web1\n").Changed);
        Assert.Equal(before, File.ReadAllBytes(p));
    }

    [Fact]
    public void NewKeyIsAppendedAtTheEnd()
    {
        var p = Write(Sample);
        var r = VarsFileEditor.Set(p, "ntp_server", "pool.ntp.org");
        Assert.True(r.Changed);
        Assert.False(r.HadOldValue);
        Assert.Equal(Sample + "ntp_server: pool.ntp.org\n", File.ReadAllText(p));
    }

    [Fact]
    public void NewKeyAfterFileWithoutFinalNewline()
    {
        var p = Write("a: 1  # one");
        VarsFileEditor.Set(p, "b", 2L);
        Assert.Equal("a: 1  # one\nb: 2\n", File.ReadAllText(p));
    }

    [Theory]
    [InlineData("yes", "mode: 'yes'\n")]
    [InlineData("0755", "mode: '0755'\n")]
    [InlineData("1.10", "mode: '1.10'\n")]
    [InlineData("off", "mode: 'off'\n")]
    [InlineData("~", "mode: '~'\n")]
    [InlineData("12:30", "mode: '12:30'\n")]
    [InlineData("2024-01-01", "mode: '2024-01-01'\n")]
    [InlineData("{{ x }}", "mode: '{{ x }}'\n")]
    [InlineData("it's: here", "mode: 'it''s: here'\n")]
    [InlineData("two\nlines", "mode: \"two\\nlines\"\n")]
    [InlineData("", "mode: ''\n")]
    [InlineData("plain text", "mode: plain text\n")]
    [InlineData("0o755", "mode: 0o755\n")]
    public void StringsThatYaml11WouldRetypeAreQuoted(string value, string expectedLine)
    {
        var p = Write("# modes\n");
        VarsFileEditor.Set(p, "mode", value);
        Assert.Equal("# modes\n" + expectedLine, File.ReadAllText(p));
        Assert.Equal(value, Load(p)["mode"]);
    }

    [Fact]
    public void NumbersAndBooleansAreWrittenTyped()
    {
        var p = Write("a: x\n");
        VarsFileEditor.Set(p, "a", 1.0);
        VarsFileEditor.Set(p, "b", 1e20);
        VarsFileEditor.Set(p, "c", false);
        VarsFileEditor.Set(p, "d", null);
        Assert.Equal("a: 1.0\nb: 1.0e+20\nc: false\nd: null\n", File.ReadAllText(p));
        var d = Load(p);
        Assert.Equal(1.0, d["a"]);
        Assert.Equal(1e20, d["b"]);
        Assert.Equal(false, d["c"]);
        Assert.Null(d["d"]);
    }

    [Fact]
    public void UnsetRemovesABlockValueWithItsIndentedComments()
    {
        var p = Write(Sample);
        var r = VarsFileEditor.Unset(p, "users");
        Assert.True(r.Changed);
        Assert.Equal(new List<object?> { "alice", "bob" }, r.OldValue);
        Assert.False(r.HasNewValue);
        var expected = Sample.Replace("users:\n  - alice\n  - bob    # admin\n  # - carol (disabled)\n", "");
        Assert.Equal(expected, File.ReadAllText(p));
    }

    [Fact]
    public void UnsetRemovesALiteralBlockScalarButKeepsTheBlankLineAfterIt()
    {
        var p = Write(Sample);
        VarsFileEditor.Unset(p, "motd");
        Assert.Equal(Sample.Replace("motd: |\n  Welcome\n  to web1\n", ""), File.ReadAllText(p));
    }

    [Fact]
    public void UnsetOfAMissingKeyIsOk()
    {
        var p = Write(Sample);
        var r = VarsFileEditor.Unset(p, "nope");
        Assert.False(r.Changed);
        Assert.Equal(Sample, File.ReadAllText(p));
    }

    [Fact]
    public void SetBlockValueReplacesTheWholeEntry()
    {
        var p = Write(Sample);
        var value = new Dict { ["name"] = "web", ["ports"] = new List<object?> { 80L, 443L }, ["tls"] = new Dict { ["on"] = "yes" } };
        VarsFileEditor.Set(p, "users", value);
        var expected = Sample.Replace("users:\n  - alice\n  - bob    # admin\n  # - carol (disabled)\n",
            "users:\n  name: web\n  ports:\n    - 80\n    - 443\n  tls:\n    'on': 'yes'\n");
        Assert.Equal(expected, File.ReadAllText(p));
        Assert.True(VarsFileEditor.DataEquals(value, Load(p)["users"]));
    }

    [Fact]
    public void ListOfMappingsIsWrittenInBlockStyle()
    {
        var p = Write("");
        var value = new List<object?> { new Dict { ["name"] = "a", ["port"] = 1L }, new List<object?> { "x" }, new Dict() };
        VarsFileEditor.Set(p, "items", value);
        Assert.Equal("items:\n  - name: a\n    port: 1\n  - - x\n  - {}\n", File.ReadAllText(p));
        Assert.True(VarsFileEditor.DataEquals(value, Load(p)["items"]));
    }

    [Fact]
    public void UnparsableFileIsRefusedAndUntouched()
    {
        var text = "a: 1\nb: [1, 2\nc: 3\n";
        var p = Write(text);
        var e = Assert.Throws<RunnerException>(() => VarsFileEditor.Set(p, "a", 2L));
        Assert.NotNull(e.Location);
        Assert.Equal(p, e.Location!.File);
        Assert.True(e.Location.Line > 0);
        Assert.Contains(p + ":", e.Describe());
        Assert.Equal(text, File.ReadAllText(p));
        Assert.Throws<RunnerException>(() => VarsFileEditor.Unset(p, "a"));
        Assert.Equal(text, File.ReadAllText(p));
        Assert.Single(Directory.GetFiles(_dir)); // no temporary file left
    }

    [Fact]
    public void NonMappingFileIsRefused()
    {
        var p = Write("- a\n- b\n");
        var e = Assert.Throws<RunnerException>(() => VarsFileEditor.Set(p, "a", 1L));
        Assert.Contains("mapping", e.Message);
        Assert.Equal("- a\n- b\n", File.ReadAllText(p));
    }

    [Fact]
    public void RemovingAnAnchorThatIsAliasedIsRefused()
    {
        var text = "base: &b\n  x: 1\nother: *b\n";
        var p = Write(text);
        Assert.Throws<RunnerException>(() => VarsFileEditor.Unset(p, "base"));
        Assert.Equal(text, File.ReadAllText(p));
    }

    [Fact]
    public void MissingFileAndFolderAreCreated()
    {
        var p = Path.Combine(_dir, "host_vars", "db1.yml");
        var r = VarsFileEditor.Set(p, "port", "5432");
        Assert.True(r.Changed);
        Assert.True(r.FileCreated);
        Assert.Equal("port: '5432'\n", File.ReadAllText(p));
    }

    [Fact]
    public void CrlfAndByteOrderMarkAreKept()
    {
        var p = Path.Combine(_dir, "win.yml");
        var text = "# c\r\na: 1\r\nb: x # note\r\n";
        File.WriteAllBytes(p, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(text)).ToArray());
        VarsFileEditor.Set(p, "b", "z");
        VarsFileEditor.Set(p, "c", new List<object?> { 1L });
        var bytes = File.ReadAllBytes(p);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal("# c\r\na: 1\r\nb: z # note\r\nc:\r\n  - 1\r\n", Encoding.UTF8.GetString(bytes[3..]));
    }

    [Fact]
    public void QuotedAndFlowValuesAreReplacedInPlace()
    {
        var p = Write("a: \"old value\"  # keep\nb: [1, 2]   # list\nc: {x: 1}\nd:\ne: last\n");
        VarsFileEditor.Set(p, "a", "new");
        VarsFileEditor.Set(p, "b", new List<object?>());
        VarsFileEditor.Set(p, "d", "now set");
        VarsFileEditor.Unset(p, "c");
        Assert.Equal("a: new  # keep\nb: []   # list\nd: now set\ne: last\n", File.ReadAllText(p));
    }
}
