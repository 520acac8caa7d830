namespace Runner.Engine.Variables;

/// <summary>
/// What <see cref="VarsFileEditor.Set"/> or <see cref="VarsFileEditor.Unset"/> did to a vars file.
/// <see cref="Changed"/> is false when the file already had the requested state (it is then left
/// byte-identical, the CLI says "ok"); true when it was rewritten or created ("changed").
/// </summary>
/// <param name="Path">The file that was (or would have been) edited.</param>
/// <param name="Key">The top-level variable name.</param>
/// <param name="Changed">The file content changed.</param>
/// <param name="FileCreated">The file (and possibly its folder) did not exist and was created.</param>
/// <param name="HadOldValue">The key was present before the edit.</param>
/// <param name="OldValue">Its value before the edit (data model: Dict, List, string, long, double, bool, null).</param>
/// <param name="HasNewValue">The key is present after the edit (false after an unset).</param>
/// <param name="NewValue">Its value after the edit.</param>
public sealed record EditResult(
    string Path,
    string Key,
    bool Changed,
    bool FileCreated,
    bool HadOldValue,
    object? OldValue,
    bool HasNewValue,
    object? NewValue);
