using System.Text.Json;
using Runner.Engine.Values;
using Runner.Engine.Yaml;
using Runner.Tests.Lab;

namespace Runner.Tests.Cli;

/// <summary>
/// The bad-input table (tests/bad-input/cases.yml): every case exits with the code ansible-playbook 2.14 exited
/// with (recorded by tests/bad-input/record.py into ansible-exit-codes.json), says why in a few lines on stderr,
/// and never prints a stack trace.
/// </summary>
public class BadInputTests
{
    private static string Folder => Path.Combine(LabEnvironment.RepoRoot, "tests", "bad-input");

    private static List<Dict> Cases() => ((List<object?>)YamlLoader.LoadFile(Path.Combine(Folder, "cases.yml"))!).Cast<Dict>().ToList();

    public static IEnumerable<object[]> Names() => Cases().Select(c => new object[] { (string)c["name"]! });

    [Theory]
    [MemberData(nameof(Names))]
    public void Runner_exits_as_ansible_playbook_does(string name)
    {
        var recorded = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "ansible-exit-codes.json")))
            .RootElement.GetProperty("exit_codes");
        Assert.True(recorded.TryGetProperty(name, out var expected), $"no recording for '{name}': run tests/bad-input/record.py");
        var c = Cases().First(x => (string)x["name"]! == name);
        var dir = Directory.CreateTempSubdirectory("runner-bad-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "hosts"), "localhost ansible_connection=local\n");
            foreach (var (file, text) in c.Get("files") as Dict ?? new Dict())
            {
                var path = Path.Combine(dir, file);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, PyStr.Str(text));
            }
            var (rc, stdout, err) = RunnerCli.Run(dir, ((List<object?>)c["args"]!).Select(PyStr.Str), new Dictionary<string, string> { ["NO_COLOR"] = "1" });
            Assert.True(expected.GetInt32() == rc, $"{name}: ansible-playbook exited {expected.GetInt32()}, Runner {rc}\n{stdout}\n{err}");
            Assert.DoesNotContain("   at ", err);
            Assert.DoesNotContain("Exception:", err);
        }
        finally { Directory.Delete(dir, true); }
    }
}
