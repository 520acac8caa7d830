namespace Runner.Modules.Common;

/// <summary>
/// The one check for user and group names (or numeric ids) before they reach chown, chgrp, find, useradd or groupadd
/// as arguments: a name that starts with '-' could become an option (<c>--reference=FILE</c>), and ':' or ','
/// would name a second account. POSIX's portable names (IEEE Std 1003.1, 3.437) and Debian's useradd (which also
/// allows '$' at the end, and anything but ':', ',', whitespace and control characters) both fit this rule.
/// </summary>
internal static class AccountName
{
    /// <summary>True when <paramref name="name"/> is usable as a user or group name: non-empty, no leading '-', and
    /// no ':', ',', '/', whitespace or control character.</summary>
    public static bool IsValid(string name) =>
        name.Length > 0 && name[0] != '-' && !name.Any(c => c is ':' or ',' or '/' || char.IsWhiteSpace(c) || char.IsControl(c));

    /// <summary>Ansible's file-attribute message for an owner it cannot look up (module_utils/basic.py
    /// set_owner_if_different), or null when <paramref name="owner"/> is valid.</summary>
    public static string? OwnerError(string owner) => IsValid(owner) ? null : $"chown failed: failed to look up user {owner}";

    /// <summary>Ansible's message for a group it cannot look up (basic.py set_group_if_different), or null.</summary>
    public static string? GroupError(string group) => IsValid(group) ? null : $"chgrp failed: failed to look up group {group}";
}
