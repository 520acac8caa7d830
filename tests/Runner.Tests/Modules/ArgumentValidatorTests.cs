using Runner.Engine.Modules;
using Runner.Modules;

namespace Runner.Tests.Modules;

public class ArgumentValidatorTests
{
    private static readonly ModuleSpec Spec = ModuleSpec.Of(
        new OptionSpec("path", OptionType.Path, Required: true, Aliases: new[] { "dest", "name" }),
        new OptionSpec("state", Choices: new[] { "absent", "present" }, Default: "present"),
        new OptionSpec("force", OptionType.Bool),
        new OptionSpec("count", OptionType.Int),
        new OptionSpec("items", OptionType.List),
        new OptionSpec("label"),
        new OptionSpec("mode", OptionType.Mode));

    [Fact]
    public void UnknownOptionUsesAnsibleWording()
    {
        var e = Assert.Throws<ModuleArgumentException>(() => ArgumentValidator.Validate(Spec, D.Of("path", "/x", "foo", 1L), "demo"));
        Assert.Equal("Unsupported parameters for (demo) module: foo. Supported parameters include: count, force, items, label, mode, path, state (dest, name).", e.Message);
    }

    [Fact]
    public void CopyUnsupportedMessageListsSortedOptionsThenAliases()
    {
        var copy = new CopyModule();
        var e = Assert.Throws<ModuleArgumentException>(() => ArgumentValidator.Validate(copy.Spec, D.Of("dest", "/x", "bogus", "y"), "copy"));
        Assert.StartsWith("Unsupported parameters for (copy) module: bogus. Supported parameters include: _original_basename, attributes, backup, checksum, content,", e.Message);
        Assert.EndsWith(", src, unsafe_writes, validate (attr).", e.Message);
    }

    [Fact]
    public void MissingRequired()
    {
        var e = Assert.Throws<ModuleArgumentException>(() => ArgumentValidator.Validate(Spec, D.Of("state", "absent"), "demo"));
        Assert.Equal("missing required arguments: path", e.Message);
    }

    [Fact]
    public void BadChoice()
    {
        var e = Assert.Throws<ModuleArgumentException>(() => ArgumentValidator.Validate(Spec, D.Of("path", "/x", "state", "gone"), "demo"));
        Assert.Equal("value of state must be one of: absent, present, got: gone", e.Message);
    }

    [Fact]
    public void AliasesDefaultsAndCoercion()
    {
        var r = ArgumentValidator.Validate(Spec, D.Of("dest", "/x", "force", "yes", "count", "12", "items", "a,b", "label", 5L, "mode", 420L), "demo");
        Assert.Equal("/x", r["path"]);
        Assert.False(r.ContainsKey("dest"));
        Assert.Equal("present", r["state"]);
        Assert.Equal(true, r["force"]);
        Assert.Equal(12L, r["count"]);
        Assert.Equal(new List<object?> { "a", "b" }, r["items"]);
        Assert.Equal("5", r["label"]);
        Assert.Equal(420L, r["mode"]);
    }

    [Theory]
    [InlineData("no", false)]
    [InlineData("True", true)]
    [InlineData("off", false)]
    [InlineData("1", true)]
    [InlineData("f", false)]
    public void BoolStrings(string given, bool expected) =>
        Assert.Equal(expected, ArgumentValidator.Validate(Spec, D.Of("path", "/x", "force", given), "demo")["force"]);

    [Fact]
    public void StrFromBoolAndFloatIsPythonStr()
    {
        Assert.Equal("True", ArgumentValidator.Validate(Spec, D.Of("path", "/x", "label", true), "demo")["label"]);
        Assert.Equal("1.5", ArgumentValidator.Validate(Spec, D.Of("path", "/x", "label", 1.5), "demo")["label"]);
    }

    [Fact]
    public void BadIntAndBoolFailClearly()
    {
        var e = Assert.Throws<ModuleArgumentException>(() => ArgumentValidator.Validate(Spec, D.Of("path", "/x", "count", "many"), "demo"));
        Assert.Equal("argument 'count' is of type <class 'str'> and we were unable to convert to int: <class 'str'> cannot be converted to an int", e.Message);
        var b = Assert.Throws<ModuleArgumentException>(() => ArgumentValidator.Validate(Spec, D.Of("path", "/x", "force", "maybe"), "demo"));
        Assert.StartsWith("argument 'force' is of type <class 'str'> and we were unable to convert to bool: The value 'maybe' is not a valid boolean.", b.Message);
    }

    [Fact]
    public void FreeFormTakesRawParams()
    {
        var r = ArgumentValidator.Validate(new CommandModule().Spec, D.Of("_raw_params", "echo hi", "chdir", "/tmp"), "command");
        Assert.Equal("echo hi", r["_raw_params"]);
        Assert.Equal(true, r["strip_empty_ends"]);
    }

    [Fact]
    public void AnsibleInternalKeysAreIgnored()
    {
        var r = ArgumentValidator.Validate(Spec, D.Of("path", "/x", "_ansible_check_mode", true), "demo");
        Assert.False(r.ContainsKey("_ansible_check_mode"));
    }
}
