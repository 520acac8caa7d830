using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>
/// Whether anything below a folder (find -mindepth 1) differs from the owner, group or mode asked for (file
/// recurse=yes, Ansible's recursive_set_attributes): true when some entry is not owned by the owner, not in the
/// group, or (links aside) lacks the exact permission bits. A symbolic mode is always taken to differ.
/// </summary>
public sealed class TreeAttributesFact : Fact<bool>
{
    private readonly string _path;
    private readonly string? _owner;
    private readonly string? _group;
    private readonly string? _octalMode;
    private readonly bool _symbolic;

    /// <summary>Below <paramref name="path"/>: owner, group (names or ids, already checked as such), <paramref name="octalMode"/> ("0644") or a symbolic mode.</summary>
    public TreeAttributesFact(string path, string? owner, string? group, string? octalMode, bool symbolic) =>
        (_path, _owner, _group, _octalMode, _symbolic) = (path, owner, group, octalMode, symbolic);

    /// <inheritdoc/>
    public override string Key => $"tree-attrs:{_owner}:{_group}:{(_symbolic ? "sym" : _octalMode)}:{_path}";

    /// <inheritdoc/>
    public override string Script
    {
        get
        {
            var tests = new List<string>();
            if (_owner is not null) tests.Add($"! -user {ShellQuote.Quote(_owner)}");
            if (_group is not null) tests.Add($"! -group {ShellQuote.Quote(_group)}");
            if (_symbolic) tests.Add("-true");
            else if (_octalMode is not null) tests.Add($"! -type l ! -perm {_octalMode}");
            if (tests.Count == 0) return "exit 0";
            return $"find {ShellQuote.Quote(_path)} -mindepth 1 \\( {string.Join(" -o ", tests.Select(t => $"\\( {t} \\)"))} \\) -print | head -n 1";
        }
    }

    /// <inheritdoc/>
    public override bool Parse(CommandResult output) => output.Stdout.Trim().Length > 0;
}
