using System.Text.RegularExpressions;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// Why Python's json.loads refuses a text (json.decoder.JSONDecodeError, a ValueError), found by walking it as Python's
/// scanner does (lib/json/decoder.py, scanner.py): "Expecting value", "Expecting property name enclosed in double quotes",
/// "Expecting ':' delimiter", "Expecting ',' delimiter", "Unterminated string starting at", "Invalid control character
/// at", "Invalid \escape", "Extra data", each followed by ": line L column C (char N)". Used for from_json's errors, whose
/// parsing is System.Text.Json's.
/// </summary>
internal static class PyJsonErrors
{
    private static readonly Regex Number = new(@"\G(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?", RegexOptions.CultureInvariant);

    private sealed class Fail(string message, int pos) : Exception(message)
    {
        public int Pos { get; } = pos;
    }

    /// <summary>The JSONDecodeError for <paramref name="s"/>, or null when Python would accept it.</summary>
    public static PythonError? For(string s)
    {
        try
        {
            var (found, end) = Value(s, Ws(s, 0));
            if (!found) throw new Fail("Expecting value", end);
            end = Ws(s, end);
            if (end != s.Length) throw new Fail("Extra data", end);
            return null;
        }
        catch (Fail f)
        {
            var line = s.Take(f.Pos).Count(c => c == '\n') + 1;
            var nl = f.Pos > 0 ? s.LastIndexOf('\n', f.Pos - 1) : -1;
            var col = nl < 0 ? f.Pos + 1 : f.Pos - nl;
            return PythonError.ValueError($"{f.Message}: line {line} column {col} (char {f.Pos})", "json.decoder.JSONDecodeError");
        }
    }

    private static bool IsWs(string s, int i) => i >= s.Length || s[i] is ' ' or '\t' or '\n' or '\r';

    private static int Ws(string s, int i)
    {
        i = Math.Min(i, s.Length);
        while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\r') i++;
        return i;
    }

    /// <summary>scan_once: (false, idx) where no value starts (StopIteration), else (true, its end).</summary>
    private static (bool, int) Value(string s, int i)
    {
        if (i >= s.Length) return (false, i);
        switch (s[i])
        {
            case '"': return (true, Str(s, i + 1));
            case '{': return (true, Object(s, i + 1));
            case '[': return (true, Array(s, i + 1));
        }
        foreach (var lit in new[] { "null", "true", "false", "NaN", "Infinity", "-Infinity" })
            if (string.CompareOrdinal(s, i, lit, 0, lit.Length) == 0) return (true, i + lit.Length);
        var m = Number.Match(s, i);
        return m.Success && m.Length > 0 ? (true, i + m.Length) : (false, i);
    }

    private static int Str(string s, int end)
    {
        var begin = end - 1;
        while (true)
        {
            if (end >= s.Length) throw new Fail("Unterminated string starting at", begin);
            var c = s[end];
            if (c == '"') return end + 1;
            if (c < 0x20) throw new Fail("Invalid control character at", end);
            if (c == '\\')
            {
                if (end + 1 >= s.Length) throw new Fail("Unterminated string starting at", begin);
                var esc = s[end + 1];
                if (esc == 'u')
                {
                    if (end + 6 > s.Length || !s.Substring(end + 2, 4).All(Uri.IsHexDigit)) throw new Fail("Invalid \\uXXXX escape", end + 1);
                    end += 6;
                    continue;
                }
                if ("\"\\/bfnrt".IndexOf(esc) < 0) throw new Fail("Invalid \\escape", end);
                end += 2;
                continue;
            }
            end++;
        }
    }

    private static int Object(string s, int end)
    {
        if (end >= s.Length || s[end] != '"')
        {
            if (IsWs(s, end)) end = Ws(s, end);
            if (end < s.Length && s[end] == '}') return end + 1;
            if (end >= s.Length || s[end] != '"') throw new Fail("Expecting property name enclosed in double quotes", end);
        }
        end++;
        while (true)
        {
            end = Str(s, end);
            if (end >= s.Length || s[end] != ':')
            {
                end = Ws(s, end);
                if (end >= s.Length || s[end] != ':') throw new Fail("Expecting ':' delimiter", end);
            }
            end = Ws(s, end + 1);
            var (found, after) = Value(s, end);
            if (!found) throw new Fail("Expecting value", after);
            end = Ws(s, after);
            var next = end < s.Length ? s[end] : '\0';
            end++;
            if (next == '}') return end;
            if (next != ',') throw new Fail("Expecting ',' delimiter", end - 1);
            end = Ws(s, end);
            next = end < s.Length ? s[end] : '\0';
            end++;
            if (next != '"') throw new Fail("Expecting property name enclosed in double quotes", end - 1);
        }
    }

    private static int Array(string s, int end)
    {
        end = Ws(s, end);
        if (end < s.Length && s[end] == ']') return end + 1;
        while (true)
        {
            var (found, after) = Value(s, end);
            if (!found) throw new Fail("Expecting value", after);
            end = Ws(s, after);
            var next = end < s.Length ? s[end] : '\0';
            end++;
            if (next == ']') return end;
            if (next != ',') throw new Fail("Expecting ',' delimiter", end - 1);
            end = Ws(s, end);
        }
    }
}
