using Runner.Engine.Values;
using Runner.Modules;

namespace Runner.Tests.Modules;

/// <summary>
/// Modules that need the Jinja templar (template, debug var=, assert). They pass once the templating
/// front end is merged; with the stub Templar they fail with NotImplementedException.
/// </summary>
public class TemplarDependentModuleTests : IDisposable
{
    private readonly ModuleHarness _h = new();
    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task TemplateRendersThenOk()
    {
        Directory.CreateDirectory(_h.P("templates"));
        File.WriteAllText(_h.P("templates/app.conf.j2"), "name={{ name }}\n{% if on %}on\n{% endif %}end\n");
        _h.Vars["name"] = "web";
        _h.Vars["on"] = true;
        var dest = _h.P("app.conf");
        var r = await _h.Run(new TemplateModule(), D.Of("src", "app.conf.j2", "dest", dest, "mode", "0600"));
        Assert.Equal(true, r["changed"]);
        Assert.Equal("name=web\non\nend\n", File.ReadAllText(dest));
        Assert.Equal("600", ModuleHarness.Mode(dest));
        Assert.Equal(false, (await _h.Run(new TemplateModule(), D.Of("src", "app.conf.j2", "dest", dest, "mode", "0600")))["changed"]);
    }

    [Fact]
    public async Task DebugVarShowsValueOrNotDefined()
    {
        _h.Vars["x"] = 5L;
        Assert.Equal(5L, (await _h.Run(new DebugModule(), D.Of("var", "x")))["x"]);
        Assert.Equal("VARIABLE IS NOT DEFINED!", (await _h.Run(new DebugModule(), D.Of("var", "nope")))["nope"]);
    }

    [Fact]
    public async Task AssertMessages()
    {
        _h.Vars["n"] = 3L;
        var ok = await _h.Run(new AssertModule(), D.Of("that", new List<object?> { "n > 1", "n < 5" }));
        Assert.Equal("All assertions passed", ok["msg"]);
        var bad = await _h.Run(new AssertModule(), D.Of("that", new List<object?> { "n > 1", "n > 5" }));
        Assert.Equal(true, bad["failed"]);
        Assert.Equal("Assertion failed", bad["msg"]);
        Assert.Equal("n > 5", bad["assertion"]);
        Assert.Equal(false, bad["evaluated_to"]);
        var custom = await _h.Run(new AssertModule(), D.Of("that", "n == 4", "fail_msg", "not four", "success_msg", "four"));
        Assert.Equal("not four", custom["msg"]);
    }
}
