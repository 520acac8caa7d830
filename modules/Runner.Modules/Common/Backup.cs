using System.Globalization;
using Runner.Engine.Connections;
using Runner.Engine.Modules;

namespace Runner.Modules.Common;

/// <summary>
/// backup=yes: copies the file beside itself as "NAME.PID.YYYY-MM-DD@HH:MM:SS~" (module_utils/basic.py backup_local),
/// keeping mode and times (cp -p). Returns the backup path or null when nothing was copied.
/// </summary>
internal static class Backup
{
    public static async Task<string?> MakeAsync(ModuleContext ctx, string path, CancellationToken ct)
    {
        var name = NameFor(path);
        var r = await ctx.ShAsync($"cp -p -- {ShellQuote.Quote(path)} {ShellQuote.Quote(name)}", ct);
        return r.ExitCode == 0 ? name : null;
    }

    /// <summary>For planning modules: the backup's path and the step that copies <paramref name="path"/> there.</summary>
    public static (string Name, RunStep Step) Plan(string path)
    {
        var name = NameFor(path);
        return (name, new RunStep(Argv.Of("cp", "-p", "--", path, name)));
    }

    private static string NameFor(string path) =>
        $"{path}.{Environment.ProcessId}.{DateTime.Now.ToString("yyyy-MM-dd@HH:mm:ss", CultureInfo.InvariantCulture)}~";
}
