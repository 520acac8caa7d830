namespace Runner.Modules.Common;

/// <summary>Python's posixpath functions modules need to compare paths as Ansible's modules do.</summary>
internal static class PyPath
{
    /// <summary>
    /// posixpath.normpath: "." and empty parts dropped, ".." folded (kept at the start of a relative path), one
    /// leading slash (two kept, as POSIX allows), "" becomes ".".
    /// </summary>
    public static string NormPath(string path)
    {
        if (path.Length == 0) return ".";
        var initial = path.StartsWith('/') ? (path.StartsWith("//") && !path.StartsWith("///") ? "//" : "/") : "";
        var parts = new List<string>();
        foreach (var p in path.Split('/'))
        {
            if (p is "" or ".") continue;
            if (p != ".." || (initial.Length == 0 && parts.Count == 0) || (parts.Count > 0 && parts[^1] == "..")) parts.Add(p);
            else if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
        }
        var result = initial + string.Join('/', parts);
        return result.Length == 0 ? "." : result;
    }

    /// <summary>posixpath.dirname: everything before the last slash, trailing slashes removed unless all slashes.</summary>
    public static string DirName(string path)
    {
        var i = path.LastIndexOf('/') + 1;
        var head = path[..i];
        return head.Length > 0 && head.Trim('/').Length > 0 ? head.TrimEnd('/') : head;
    }
}
