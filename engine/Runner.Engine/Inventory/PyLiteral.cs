using System.Globalization;
using System.Numerics;
using System.Text;
using Runner.Engine.Values;

namespace Runner.Engine.Inventory;

/// <summary>
/// A subset of Python's <c>ast.literal_eval</c> (https://docs.python.org/3/library/ast.html#ast.literal_eval), used
/// for INI inventory values as Ansible's ini plugin does: ints (decimal, 0x, 0o, 0b, underscores), floats,
/// strings in single or double quotes (with escapes; adjacent strings concatenate), True/False/None, lists,
/// tuples and sets (as lists), dicts, unary +/-; a trailing <c># comment</c> is ignored.
/// <see cref="TryEval"/> returns false where Python raises ValueError/SyntaxError (the caller keeps the text).
/// </summary>
public static class PyLiteral
{
    /// <summary>Evaluates <paramref name="text"/>; false when it is not a Python literal.</summary>
    public static bool TryEval(string text, out object? value)
    {
        var p = new Parser(text);
        try
        {
            p.SkipSpace();
            value = p.ParseExpr();
            p.SkipSpace();
            if (!p.AtEnd) { value = null; return false; }
            return true;
        }
        catch (FormatException) { value = null; return false; }
    }

    /// <summary>Ansible's ini <c>_parse_value</c>: the literal value when <paramref name="text"/> is one, else the text itself.</summary>
    public static object? ParseIniValue(string text) => TryEval(text, out var v) ? v : text;

    private sealed class Parser(string s)
    {
        private int _i;
        public bool AtEnd => _i >= s.Length;

        public void SkipSpace()
        {
            while (_i < s.Length)
            {
                if (s[_i] is ' ' or '\t' or '\n' or '\r') _i++;
                else if (s[_i] == '#') { while (_i < s.Length && s[_i] != '\n') _i++; }
                else if (s[_i] == '\\' && _i + 1 < s.Length && s[_i + 1] == '\n') _i += 2;
                else break;
            }
        }

        private char Peek => _i < s.Length ? s[_i] : '\0';
        private static FormatException Bad() => new();

        public object? ParseExpr()
        {
            SkipSpace();
            var c = Peek;
            if (c is '-' or '+')
            {
                _i++;
                SkipSpace();
                var operand = ParseExpr();
                return (c, operand) switch
                {
                    ('-', long l) => -l,
                    ('-', double d) => -d,
                    ('+', long or double) => operand,
                    _ => throw Bad(),
                };
            }
            if (c is '[') return ParseSeq('[', ']', allowTupleComma: false);
            if (c is '(') return ParseSeq('(', ')', allowTupleComma: true);
            if (c is '{') return ParseBrace();
            if (c is '\'' or '"' || (char.IsLetter(c) && IsStringPrefix())) return ParseStrings();
            if (char.IsDigit(c) || c == '.') return ParseNumber();
            if (char.IsLetter(c) || c == '_')
            {
                var start = _i;
                while (_i < s.Length && (char.IsLetterOrDigit(s[_i]) || s[_i] == '_')) _i++;
                return s[start.._i] switch
                {
                    "True" => true,
                    "False" => false,
                    "None" => null,
                    _ => throw Bad(),
                };
            }
            throw Bad();
        }

        private bool IsStringPrefix()
        {
            var j = _i;
            while (j < s.Length && char.IsLetter(s[j]) && j - _i < 2) j++;
            if (j >= s.Length || s[j] is not ('\'' or '"')) return false;
            var prefix = s[_i..j].ToLowerInvariant();
            return prefix is "r" or "u";
        }

        private object? ParseSeq(char open, char close, bool allowTupleComma)
        {
            _i++;
            var list = new List<object?>();
            SkipSpace();
            var sawComma = false;
            while (Peek != close)
            {
                if (AtEnd) throw Bad();
                list.Add(ParseExpr());
                SkipSpace();
                if (Peek == ',') { _i++; sawComma = true; SkipSpace(); }
                else if (Peek != close) throw Bad();
            }
            _i++;
            if (allowTupleComma && list.Count == 1 && !sawComma) return list[0]; // (x) is just x
            return list;
        }

        private object? ParseBrace()
        {
            _i++;
            SkipSpace();
            var dict = new Dict();
            var set = new List<object?>();
            bool? isDict = null;
            while (Peek != '}')
            {
                if (AtEnd) throw Bad();
                var key = ParseExpr();
                SkipSpace();
                if (Peek == ':')
                {
                    if (isDict == false) throw Bad();
                    isDict = true;
                    _i++;
                    var value = ParseExpr();
                    if (key is Dict or List<object?>) throw Bad(); // unhashable
                    dict[PyStr.Str(key)] = value;
                }
                else
                {
                    if (isDict == true) throw Bad();
                    isDict = false;
                    if (!set.Contains(key)) set.Add(key);
                }
                SkipSpace();
                if (Peek == ',') { _i++; SkipSpace(); }
                else if (Peek != '}') throw Bad();
            }
            _i++;
            if (isDict == false) return set;
            return dict; // {} is an empty dict
        }

        private string ParseStrings()
        {
            var sb = new StringBuilder();
            do
            {
                var raw = false;
                while (char.IsLetter(Peek)) { if (Peek is 'r' or 'R') raw = true; _i++; }
                var q = Peek;
                var triple = _i + 2 < s.Length && s[_i + 1] == q && s[_i + 2] == q;
                _i += triple ? 3 : 1;
                while (true)
                {
                    if (AtEnd) throw Bad();
                    var ch = s[_i];
                    if (ch == q && (!triple || (_i + 2 < s.Length && s[_i + 1] == q && s[_i + 2] == q)))
                    {
                        _i += triple ? 3 : 1;
                        break;
                    }
                    if (ch == '\n' && !triple) throw Bad();
                    if (ch == '\\' && _i + 1 < s.Length)
                    {
                        if (raw) { sb.Append(ch).Append(s[_i + 1]); _i += 2; continue; }
                        _i++;
                        sb.Append(Escape());
                        continue;
                    }
                    sb.Append(ch);
                    _i++;
                }
                SkipSpace();
            } while (Peek is '\'' or '"' || (char.IsLetter(Peek) && IsStringPrefix()));
            return sb.ToString();
        }

        private string Escape()
        {
            var c = s[_i++];
            switch (c)
            {
                case '\n': return "";
                case '\\': return "\\";
                case '\'': return "'";
                case '"': return "\"";
                case 'a': return "\a";
                case 'b': return "\b";
                case 'f': return "\f";
                case 'n': return "\n";
                case 'r': return "\r";
                case 't': return "\t";
                case 'v': return "\v";
                case 'x': return Hex(2);
                case 'u': return Hex(4);
                case 'U': return Hex(8);
                case >= '0' and <= '7':
                {
                    var start = _i - 1;
                    while (_i < s.Length && _i - start < 3 && s[_i] is >= '0' and <= '7') _i++;
                    return char.ConvertFromUtf32(Convert.ToInt32(s[start.._i], 8));
                }
                default: return "\\" + c;
            }
        }

        private string Hex(int n)
        {
            if (_i + n > s.Length) throw Bad();
            if (!int.TryParse(s.AsSpan(_i, n), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp)) throw Bad();
            _i += n;
            try { return char.ConvertFromUtf32(cp); } catch (ArgumentOutOfRangeException) { throw Bad(); }
        }

        private object ParseNumber()
        {
            var start = _i;
            while (_i < s.Length && (char.IsLetterOrDigit(s[_i]) || s[_i] is '_' or '.' ||
                   (s[_i] is '+' or '-' && _i > start && s[_i - 1] is 'e' or 'E' && !s[start..].StartsWith("0x", StringComparison.OrdinalIgnoreCase))))
                _i++;
            var tok = s[start.._i];
            if (tok.Contains("__") || tok.EndsWith('_')) throw Bad();
            var t = tok.Replace("_", "");
            var lower = t.ToLowerInvariant();
            if (lower.StartsWith("0x")) return Big(lower[2..], 16);
            if (lower.StartsWith("0o")) return Big(lower[2..], 8);
            if (lower.StartsWith("0b")) return Big(lower[2..], 2);
            if (t.All(char.IsDigit))
            {
                if (t.Length > 1 && t[0] == '0' && t.Any(ch => ch != '0')) throw Bad(); // 0755 is a SyntaxError in Python 3
                return Big(t, 10);
            }
            if (lower.EndsWith('j')) throw Bad(); // complex numbers are not supported
            if (System.Text.RegularExpressions.Regex.IsMatch(lower, @"^(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$") &&
                double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                return d;
            throw Bad();
        }

        private static object Big(string digits, int radix)
        {
            if (digits.Length == 0) throw Bad();
            BigInteger acc = 0;
            foreach (var ch in digits)
            {
                var v = ch is >= '0' and <= '9' ? ch - '0' : ch is >= 'a' and <= 'f' ? ch - 'a' + 10 : 99;
                if (v >= radix) throw Bad();
                acc = acc * radix + v;
            }
            if (acc > long.MaxValue) return (double)acc;
            return (long)acc;
        }
    }
}
