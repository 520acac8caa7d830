using System.Diagnostics;
using System.Text;
using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// pipe (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/pipe_lookup.html): runs each term with
/// /bin/sh -c on the controller, in the playbook's folder, as Python's subprocess.Popen(shell=True) does; the
/// result is stdout with trailing whitespace stripped. Error: "lookup_plugin.pipe(CMD) returned RC".
/// </summary>
internal sealed class PipeLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "pipe" };

    public override List<object?> Run(List<object?> terms, LookupCall call) =>
        terms.Select(t => (object?)Shell.Run("pipe", PyOps.Str(t), call.BaseDir).TrimEnd()).ToList();
}

/// <summary>
/// lines (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/lines_lookup.html): runs each term as
/// pipe does and returns its output's lines. with_lines runs on the controller, not the target.
/// Error: "lookup_plugin.lines(CMD) returned RC".
/// </summary>
internal sealed class LinesLookup : LookupPlugin
{
    public override IReadOnlyList<string> Names { get; } = new[] { "lines" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var ret = new List<object?>();
        foreach (var t in terms)
        {
            ret.AddRange(SplitLines(Shell.Run("lines", PyOps.Str(t), call.BaseDir)));
        }
        return ret;
    }
}

/// <summary>The controller shell of pipe and lines: /bin/sh -c CMD (the command is one argument, never re-split), stdin closed, stderr passed through.</summary>
internal static class Shell
{
    public static string Run(string plugin, string command, string cwd)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = Directory.Exists(cwd) ? cwd : Directory.GetCurrentDirectory(),
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        using var p = Process.Start(psi) ?? throw new TemplateError($"lookup_plugin.{plugin}({command}) could not start /bin/sh");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new TemplateError($"lookup_plugin.{plugin}({command}) returned {p.ExitCode}");
        return stdout;
    }
}
