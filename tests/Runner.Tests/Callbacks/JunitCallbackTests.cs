using System.Xml.Linq;
using Runner.Engine.Results;

namespace Runner.Tests.Callbacks;

/// <summary>JunitCallback against the report ansible.builtin.junit wrote for the same run (ansible-core 2.14).</summary>
public sealed class JunitCallbackTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "runner-junit-" + Guid.NewGuid().ToString("N"));
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    private (string Text, XDocument Doc, string File) Run(JunitCallback.Settings? settings = null)
    {
        var t = 1795967897.0;
        var cb = new JunitCallback(_dir, settings ?? new JunitCallback.Settings(), () => t += 0.25);
        CallbackFixture.Run(cb);
        var file = Assert.Single(cb.WrittenReports);
        var text = File.ReadAllText(file);
        return (text, XDocument.Parse(text), file);
    }

    [Fact]
    public void ReportFileNameAndCounts()
    {
        var (text, doc, file) = Run();
        Assert.Matches(@"^site-\d+\.\d+\.xml$", Path.GetFileName(file));
        Assert.StartsWith("<?xml version=\"1.0\" ?>\n<testsuites disabled=\"0\" errors=\"0\" failures=\"1\" tests=\"8\" time=\"", text);
        var suite = doc.Root!.Element("testsuite")!;
        Assert.Equal("site", suite.Attribute("name")!.Value);
        Assert.Equal("8", suite.Attribute("tests")!.Value);
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        Assert.Equal("1", suite.Attribute("skipped")!.Value);
        Assert.Equal("0", suite.Attribute("errors")!.Value);
    }

    [Fact]
    public void TestCasesAsAnsibleNamesThem()
    {
        var (_, doc, _) = Run();
        var cases = doc.Descendants("testcase").ToList();
        Assert.Equal(new[]
        {
            "[localhost] First play: say hi msg=hi",
            "[localhost] First play: change _raw_params=echo x",
            "[localhost] First play: skip me msg=no",
            "[localhost] First play: loop msg={{ item }}",
            "[localhost] First play: fail ignored msg=boom",
            "[localhost] First play: include _raw_params=inc.yml",
            "[include] First play: include _raw_params=inc.yml",
            "[localhost] First play: fail msg=real failure",
        }, cases.Select(c => c.Attribute("name")!.Value));
        Assert.Equal("/tmp/obs/site.yml:5", cases[0].Attribute("classname")!.Value);
        Assert.Equal("Conditional result was False", cases[2].Element("skipped")!.Value);
        var failure = cases.Last().Element("failure")!;
        Assert.Equal("réal failure", failure.Attribute("message")!.Value);
        Assert.Equal("failure", failure.Attribute("type")!.Value);
        Assert.Equal("{\n\"changed\": false,\n\"msg\": \"réal failure\"\n}", failure.Value);
        Assert.Null(cases[4].Element("failure")); // ignored failures pass
        Assert.Equal("/tmp/obs/inc.yml (args={} vars={}): [localhost]", cases[6].Element("system-out")!.Value);
    }

    [Fact]
    public void SystemOutIsTheCleanedResult()
    {
        var (text, doc, _) = Run();
        var cases = doc.Descendants("testcase").ToList();
        Assert.Equal("{\n    \"changed\": false,\n    \"msg\": \"hi\"\n}", cases[0].Element("system-out")!.Value);
        Assert.Equal("{\n\"changed\": true,\n\"cmd\": [\n\"echo\",\n\"x\"\n],\n\"rc\": 0,\n\"stdout\": \"x\"\n}", cases[1].Element("system-out")!.Value);
        Assert.Contains("\t\t<testcase classname=\"/tmp/obs/site.yml:5\" name=\"[localhost] First play: say hi msg=hi\" time=\"0.25\">\n\t\t\t<system-out>{\n    &quot;changed&quot;: false,", text);
    }

    [Fact]
    public void FailOnIgnoreAndExactDecimalTimes()
    {
        var (_, doc, _) = Run(new JunitCallback.Settings { FailOnIgnore = true });
        Assert.Equal("2", doc.Root!.Attribute("failures")!.Value);
        Assert.Equal("0.1000000000000000055511151231257827021181583404541015625", JunitCallback.ExactDecimal(0.1, null));
        Assert.Equal("0.1000000000000000055511151231", JunitCallback.ExactDecimal(0.1, 28));
        Assert.Equal("2", JunitCallback.ExactDecimal(2.0, null));
    }
}
