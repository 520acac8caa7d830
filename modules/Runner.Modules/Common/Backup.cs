using System.Globalization;
using Runner.Engine.Modules;

namespace Runner.Modules.Common;

/// <summary>
/// backup=yes: the step that copies a file beside itself as "NAME.PID.YYYY-MM-DD@HH:MM:SS~" (module_utils/basic.py
/// backup_local), keeping mode and times (cp -p), to run before the write. A failed copy fails the task with
/// Ansible's "Could not make backup of PATH to BACKUP: REASON".
/// </summary>
internal static class Backup
{
    /// <summary>The backup step for <paramref name="path"/> and the path its copy gets.</summary>
    public static (RunStep Step, string BackupPath) Of(string path)
    {
        var name = $"{path}.{Environment.ProcessId}.{DateTime.Now.ToString("yyyy-MM-dd@HH:mm:ss", CultureInfo.InvariantCulture)}~";
        var step = new RunStep(Argv.Of("cp", "-p", "--", path, name)) { FailMessage = $"Could not make backup of {path} to {name}: {{stderr}}" };
        return (step, name);
    }
}
