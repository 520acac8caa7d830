using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// The regular files directly in a folder on the target (symlinks to files count, as os.path.isfile), hidden ones too
/// (as os.listdir) or not (as glob.glob), optionally only names ending with a suffix (".list"), each path (FOLDER/NAME) with its text (UTF-8), sorted by
/// name; null when the folder does not exist. For modules that read every file of a configuration folder
/// (apt_repository's sources.list.d, modprobe's modules-load.d and modprobe.d). An unreadable file has null text.
/// </summary>
public sealed class FolderFilesFact : Fact<IReadOnlyList<(string Path, string? Text)>?>
{
    private readonly string _folder;
    private readonly string _suffix;
    private readonly bool _hidden;

    /// <summary>The files in <paramref name="folder"/> whose names end with <paramref name="suffix"/> ("" for all), with <paramref name="hidden"/> those starting with a dot.</summary>
    public FolderFilesFact(string folder, string suffix = "", bool hidden = true) => (_folder, _suffix, _hidden) = (folder.TrimEnd('/'), suffix, hidden);

    /// <inheritdoc/>
    public override string Key => $"folder-files:{(_hidden ? "all" : "visible")}:{_suffix}:{_folder}";

    /// <inheritdoc/>
    public override string Script =>
        $"d={ShellQuote.Quote(_folder)}; [ -d \"$d/\" ] || exit 3; for f in \"$d\"/*{ShellQuote.Quote(_suffix)}{(_hidden ? $" \"$d\"/.*{ShellQuote.Quote(_suffix)}" : "")}; do " +
        "[ -f \"$f\" ] || continue; printf 'F%s\\n' \"${f##*/}\"; if [ -r \"$f\" ]; then base64 -w0 < \"$f\"; echo; else echo -; fi; done";

    /// <inheritdoc/>
    public override IReadOnlyList<(string Path, string? Text)>? Parse(CommandResult output)
    {
        if (output.ExitCode == 3) return null;
        var lines = output.Stdout.Split('\n');
        var files = new List<(string, string?)>();
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            if (!lines[i].StartsWith('F')) { i--; continue; }
            var text = lines[i + 1] == "-" ? null : Encoding.UTF8.GetString(Convert.FromBase64String(lines[i + 1]));
            files.Add(($"{_folder}/{lines[i][1..]}", text));
        }
        return files.OrderBy(f => f.Item1, StringComparer.Ordinal).ToList();
    }
}
