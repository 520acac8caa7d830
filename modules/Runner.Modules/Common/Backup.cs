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
        var name = Name(path);
        var r = await ctx.ShAsync($"cp -p -- {ShellQuote.Quote(path)} {ShellQuote.Quote(name)}", ct);
        return r.ExitCode == 0 ? name : null;
    }

    /// <summary>The backup's path for <paramref name="path"/> now (for planning modules' `cp -p` step).</summary>
    public static string Name(string path) =>
        $"{path}.{Environment.ProcessId}.{DateTime.Now.ToString("yyyy-MM-dd@HH:mm:ss", CultureInfo.InvariantCulture)}~";
}
