using Runner.Engine.Connections;
using Runner.Engine.Modules;

namespace Runner.Modules.Common;

/// <summary>
/// The steps that write new content to a file for planning modules: one <see cref="PutFileStep"/>, or with a
/// `validate` command (containing %s) a put beside the file, the command on it (the temp file is removed when it
/// fails) and a move over the file keeping its mode and owner (Ansible's tempfile + validate + atomic_move).
/// </summary>
internal static class PlannedWrite
{
    /// <summary>The steps writing <paramref name="content"/> to <paramref name="path"/>; null with <paramref name="error"/> ("validate must contain %s: CMD") when validate lacks %s.</summary>
    /// <param name="failMessage">The failed validation's msg ({rc}, {stderr}, {stdout} as <see cref="RunStep.FailMessage"/>).</param>
    public static List<Step>? Steps(string path, byte[] content, string? validate, out string? error,
        string failMessage = "failed to validate: rc:{rc} error:{stderr}")
    {
        error = null;
        var created = new Planned.File(path);
        if (validate is null) return new List<Step> { new PutFileStep(path, content) { Creates = created } };
        if (!validate.Contains("%s")) { error = $"validate must contain %s: {validate}"; return null; }
        var dir = Path.GetDirectoryName(path) is { Length: > 0 } d ? d : ".";
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.runner-validate-{Guid.NewGuid():N}");
        var qt = ShellQuote.Quote(tmp);
        var qp = ShellQuote.Quote(path);
        return new List<Step>
        {
            // the temp file and its check change nothing yet: a failed validation leaves the task unchanged
            new PutFileStep(tmp, content) { CountsAsChange = false },
            new RunStep($"{validate.Replace("%s", qt)}; __rc=$?; [ $__rc -eq 0 ] || rm -f -- {qt}; exit $__rc") { FailMessage = failMessage, CountsAsChange = false },
            new RunStep($"if [ -e {qp} ]; then chown --reference={qp} {qt} && chmod --reference={qp} {qt}; fi && mv -f -- {qt} {qp}") { Creates = created },
        };
    }
}
