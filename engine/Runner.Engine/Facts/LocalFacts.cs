using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// local: the facts.d facts as ansible-core 2.14's LocalFactCollector loads them (lib/ansible/module_utils/facts/system/local.py):
/// each FACT_PATH/*.fact in name order, run when executable (its stdout) or read; parsed as JSON, else as INI
/// (ConfigParser: sections of lower-cased options, DEFAULT options in every section); the fact is Ansible's error
/// text when the script fails or neither parse works. {} when fact_path does not exist.
/// </summary>
internal static class LocalFacts
{
    public static Dict From(ProbeOutput p)
    {
        var local = new Dict();
        var path = p.Value("fact_path");
        foreach (var (name, rc, output) in p.CommandsUnder("local:"))
        {
            var fn = $"{path}/{name}.fact";
            if (rc != 0)
            {
                var err = p.Command("localerr:" + name)?.Out ?? "";
                local[name] = $"Failure executing fact script ({fn}), rc: {rc}, err: {err}";
                continue;
            }
            local[name] = Parse(output, fn);
        }
        return new Dict { ["local"] = local };
    }

    /// <summary>JSON, else INI, else Ansible's error text.</summary>
    internal static object? Parse(string text, string fn)
    {
        var json = ProbeOutput.ParseJson(text, out var failed);
        if (!failed) return json;
        return (object?)Ini(text) ?? $"error loading facts as JSON or ini - please check content: {fn}";
    }

    /// <summary>ConfigParser's reading of <paramref name="text"/>; null on a parse error (text outside a section, a line without = or :).</summary>
    internal static Dict? Ini(string text)
    {
        var sections = new Dict();
        var defaults = new Dict();
        Dict? current = null;
        string? lastKey = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#') || trimmed.StartsWith(';')) { lastKey = null; continue; }
            if (char.IsWhiteSpace(line[0]) && current is not null && lastKey is not null)
            {
                current[lastKey] = current[lastKey] + "\n" + trimmed;
                continue;
            }
            if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
            {
                var name = trimmed[1..^1];
                if (name == "DEFAULT") current = defaults;
                else if (sections.Get(name) is Dict existing) current = existing;
                else sections[name] = current = new Dict();
                lastKey = null;
                continue;
            }
            if (current is null) return null;
            var at = line.IndexOfAny(new[] { '=', ':' });
            if (at <= 0) return null;
            lastKey = line[..at].Trim().ToLowerInvariant();
            current[lastKey] = line[(at + 1)..].Trim();
        }
        var result = new Dict();
        foreach (var (name, opts) in sections)
        {
            var d = new Dict((Dict)opts!);
            foreach (var (k, v) in defaults) d.TryAdd(k, v);
            result[name] = d;
        }
        return result;
    }
}
