using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// cmdline and proc_cmdline from /proc/cmdline as ansible-core 2.14's CmdLineFactCollector parses them
/// (lib/ansible/module_utils/facts/system/cmdline.py): shlex.split(posix=False) words; "k=v" gives k: "v", a bare
/// word gives k: true; in cmdline a repeated key keeps the last value, in proc_cmdline its values become a list.
/// </summary>
internal static class CmdlineFacts
{
    public static Dict From(string? data)
    {
        var f = new Dict();
        if (string.IsNullOrEmpty(data)) return f;
        var words = Split(data);
        if (words is null) return f;
        var cmdline = new Dict();
        var proc = new Dict();
        foreach (var w in words)
        {
            var eq = w.IndexOf('=');
            if (eq < 0) { cmdline[w] = true; proc[w] = true; continue; }
            var (k, v) = (w[..eq], w[(eq + 1)..]);
            cmdline[k] = v;
            if (!proc.TryGetValue(k, out var old)) proc[k] = v;
            else if (old is List<object?> l) l.Add(v);
            else proc[k] = new List<object?> { old, v };
        }
        f["cmdline"] = cmdline;
        f["proc_cmdline"] = proc;
        return f;
    }

    /// <summary>shlex.split(s, posix=False): whitespace-separated words; quotes group and stay in the word; null on an unclosed quote.</summary>
    internal static List<string>? Split(string s)
    {
        var words = new List<string>();
        var cur = new System.Text.StringBuilder();
        char quote = '\0';
        var inWord = false;
        foreach (var ch in s)
        {
            if (quote != '\0')
            {
                cur.Append(ch);
                if (ch == quote) quote = '\0';
                continue;
            }
            if (char.IsWhiteSpace(ch))
            {
                if (inWord) { words.Add(cur.ToString()); cur.Clear(); inWord = false; }
                continue;
            }
            if (ch is '"' or '\'') quote = ch;
            cur.Append(ch);
            inWord = true;
        }
        if (quote != '\0') return null;
        if (inWord) words.Add(cur.ToString());
        return words;
    }
}
