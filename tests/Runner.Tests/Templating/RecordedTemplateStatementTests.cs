// Expected values: ansible-core 2.14.18 (Jinja 3.1.2), recorded by tests/ansible-recordings/record-templating.sh
// from templating-playbook.yml (tasks "whitespace and statements in task strings", "template module outputs",
// "error template ..."; template sources in tests/ansible-recordings/templates/). Each case is read from the
// playbook and the recording at run time, so a new case there is a new test here.
using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Modules;
using Runner.Modules.Common;

namespace Runner.Tests.Templating;

public class RecordedTemplateStatementTests
{
    private const string StringsTask = "whitespace and statements in task strings";

    public static IEnumerable<object[]> StringCases() => Recording.PlaybookMsg(StringsTask).Keys.Select(k => new object[] { k });

    public static IEnumerable<object[]> TemplateCases() =>
        ((List<object?>)Recording.Vars["template_cases"]!).Cast<Dict>().Select(c => new object[] { OutputName(c) });

    [Theory]
    [MemberData(nameof(StringCases))]
    public void Task_string_matches_ansible(string key)
    {
        var template = Recording.PlaybookMsg(StringsTask)[key];
        var expected = Recording.Result(StringsTask).GetProperty("msg").GetProperty(key).GetRawText();
        var got = PyStr.JsonDumps(new Templar().Template(template, Scope()), sortKeys: true);
        Assert.True(Normalize(expected) == got, $"{key}: expected {expected}, got {got}");
    }

    [Theory]
    [MemberData(nameof(TemplateCases))]
    public async Task Template_module_output_matches_ansible(string output)
    {
        var c = ((List<object?>)Recording.Vars["template_cases"]!).Cast<Dict>().First(x => OutputName(x) == output);
        var expected = Convert.FromBase64String(Recording.Result("template outputs base64").GetProperty("msg").GetProperty(output).GetString()!);
        var (result, written) = await RunTemplate(c);
        Assert.False(Results.IsFailed(result), PyStr.JsonDumps(result));
        Assert.True(expected.SequenceEqual(written),
            $"{output}: expected {PyStr.JsonDumps(Encoding.UTF8.GetString(expected))}, got {PyStr.JsonDumps(Encoding.UTF8.GetString(written))}");
    }

    [Fact]
    public async Task Syntax_error_in_a_template_file_is_ansibles_message_quoting_the_source()
    {
        var recorded = Recording.Result("error template syntax").GetProperty("msg").GetString()!;
        var (result, _) = await RunTemplate(new Dict { ["src"] = "bad.j2" });
        Assert.Equal(recorded, (string)result["msg"]!);
    }

    [Fact]
    public async Task Missing_include_is_template_not_found_as_in_ansible()
    {
        var (result, _) = await RunTemplate(new Dict { ["src"] = "missing_include.j2" });
        Assert.Equal(Recording.Result("error template include missing").GetProperty("msg").GetString(), result["msg"]);
    }

    private static string OutputName(Dict c) => (string?)c.Get("dest") ?? (string)c["src"]!;

    private static DictionaryScope Scope() => new(new Dictionary<string, object?>(Recording.Vars), new[] { Recording.Dir });

    /// <summary>Runs Runner's template module on case <paramref name="c"/> (its keys but src/dest are module options) into a temp file.</summary>
    private static async Task<(Dict Result, byte[] Written)> RunTemplate(Dict c)
    {
        var dir = Directory.CreateTempSubdirectory("tpl-rec").FullName;
        try
        {
            var args = new Dict(c.Where(kv => kv.Key != "dest")) { ["dest"] = Path.Combine(dir, "out") };
            var ctx = new ModuleContext
            {
                Connection = new LocalConnection("localhost"),
                Args = ArgumentValidator.Validate(new TemplateModule().Spec, args, "template"),
                CheckMode = false,
                DiffMode = false,
                Templar = new Templar(),
                Variables = Scope(),
                Host = "localhost",
                SearchPaths = new[] { Recording.Dir },
            };
            var result = await new TemplateModule().RunAsync(ctx, CancellationToken.None);
            var path = Path.Combine(dir, "out");
            return (result, File.Exists(path) ? await File.ReadAllBytesAsync(path) : Array.Empty<byte>());
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>Re-serializes recorded JSON the way PyStr.JsonDumps writes it (", " and ": " separators, sorted keys).</summary>
    private static string Normalize(string json) => PyStr.JsonDumps(Data.FromJson(System.Text.Json.JsonDocument.Parse(json).RootElement), sortKeys: true);
}
