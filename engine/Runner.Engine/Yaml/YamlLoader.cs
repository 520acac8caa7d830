using System.Globalization;
using System.Text.RegularExpressions;
using Runner.Engine.Errors;
using Runner.Engine.Values;
using Runner.Engine.Vault;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Runner.Engine.Yaml;

/// <summary>
/// Loads YAML (and JSON) into Runner's plain data model: <see cref="Dict"/> for mappings,
/// <c>List&lt;object?&gt;</c> for sequences, and string, long, double, bool or null for scalars.
/// Plain scalars are resolved as YAML 1.1 (PyYAML, which Ansible uses) does: yes/no/on/off booleans,
/// 0755 octal, 12:30 sexagesimal, 1.10 float; quoted scalars stay strings. Merge keys (&lt;&lt;) are applied.
/// Every mapping and sequence is registered in <see cref="SourceMap"/>.
/// Errors: a <see cref="RunnerException"/> with exit code 4 naming file:line:column.
/// </summary>
public static class YamlLoader
{
    /// <summary>Loads the first document of a file; an empty file gives null. A vaulted file is decrypted first
    /// with <see cref="VaultKeyring.Current"/> (Ansible's DataLoader does the same for every YAML file it reads).</summary>
    public static object? LoadFile(string path) => Load(ReadText(path), path);

    /// <summary>A YAML file's text, decrypted when vaulted. Errors: "Unable to read" or the vault's error.</summary>
    public static string ReadText(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunnerException($"Unable to read '{path}': {e.Message}", new SourceLocation(path, 0, 0));
        }
        return new System.Text.UTF8Encoding(false).GetString(VaultKeyring.Current.DecryptIfVaulted(bytes, path, out _)).TrimStart('\uFEFF');
    }

    /// <summary>Receives warnings such as duplicate mapping keys (Ansible warns and keeps the last value).</summary>
    public static event Action<string>? Warned;

    /// <summary>Loads the first document of <paramref name="text"/>; <paramref name="fileName"/> is used in positions.</summary>
    private const string MissingQuotesHint =
        " This looks like a value that starts with '{{' without quotes: always quote template expressions that start a value, e.g. msg: \"{{ foo }} ...\".";

    /// <summary>Every document of <paramref name="text"/> (PyYAML's safe_load_all), as from_yaml_all returns them.</summary>
    public static List<object?> LoadAll(string text, string fileName)
    {
        var docs = new List<object?>();
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        while (!parser.Accept<StreamEnd>(out _))
        {
            parser.Consume<DocumentStart>();
            docs.Add(new Composer(parser, fileName).Node());
            parser.Consume<DocumentEnd>();
        }
        return docs;
    }

    public static object? Load(string text, string fileName)
    {
        Parser? parser = null;
        try
        {
            parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _)) return null;
            parser.Consume<DocumentStart>();
            var composer = new Composer(parser, fileName);
            return composer.Node();
        }
        catch (YamlException e)
        {
            var loc = new SourceLocation(fileName, (int)e.Start.Line, (int)e.Start.Column);
            var msg = e.InnerException?.Message ?? e.Message;
            msg = Regex.Replace(msg, @"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", "");
            var hint = "";
            var line = GetLine(text, (int)e.Start.Line);
            if (line is not null && Regex.IsMatch(line, @":\s+\{\{") || line is not null && Regex.IsMatch(line, @"^\s*-\s+\{\{"))
                hint = MissingQuotesHint;
            throw new RunnerException($"Syntax Error while loading YAML: {msg.TrimEnd('.')}.{hint}", loc, exitCode: ExitCodes.ParserError, inner: e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner can fail this way on some malformed input (e.g. an unclosed flow sequence
            // followed by a mapping line); no position is available then.
            var mark = parser?.Current?.Start;
            throw new RunnerException("Syntax Error while loading YAML: malformed YAML near here (check unclosed brackets or quotes).",
                new SourceLocation(fileName, (int)(mark?.Line ?? 0), (int)(mark?.Column ?? 0)), exitCode: ExitCodes.ParserError, inner: e);
        }
    }

    private static string? GetLine(string text, int line)
    {
        var lines = text.Split('\n');
        return line >= 1 && line <= lines.Length ? lines[line - 1] : null;
    }

    /// <summary>Builds values from parser events (so duplicate keys can be warned about instead of refused).</summary>
    private sealed class Composer
    {
        private readonly IParser _parser;
        private readonly string _file;
        private readonly Dictionary<string, object?> _anchors = new();

        public Composer(IParser parser, string file)
        {
            _parser = parser;
            _file = file;
        }

        private SourceLocation Loc(ParsingEvent e) => new(_file, (int)e.Start.Line, (int)e.Start.Column);

        /// <summary>How deep collections may nest (PyYAML has no limit; deeper input is refused, never a stack overflow).</summary>
        public const int MaxDepth = 1000;

        /// <summary>How many nodes the document may stand for once every alias is expanded (a "billion laughs"
        /// document is refused before anything walks it).</summary>
        public const long MaxExpandedNodes = 10_000_000;

        private readonly Dictionary<string, long> _anchorWeights = new();
        private long _expanded;
        private int _depth;

        public object? Node() => Node(out _);

        private object? Node(out long weight)
        {
            weight = 1;
            if (_parser.TryConsume<Scalar>(out var scalar))
            {
                var value = ResolveScalar(scalar, _file);
                if (!scalar.Anchor.IsEmpty) { _anchors[scalar.Anchor.Value] = value; _anchorWeights[scalar.Anchor.Value] = 1; }
                Count(1, scalar);
                return value;
            }
            if (_parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                    throw new RunnerException($"found undefined alias '{alias.Value.Value}'", Loc(alias), exitCode: ExitCodes.ParserError);
                weight = _anchorWeights.GetValueOrDefault(alias.Value.Value, 1);
                Count(weight, alias);
                return target;
            }
            if (_parser.Current is { } open && (open is SequenceStart || open is MappingStart) && ++_depth > MaxDepth)
                throw new RunnerException($"YAML collections nested deeper than {MaxDepth} levels", Loc(open), exitCode: ExitCodes.ParserError);
            try { return Collection(out weight); }
            finally { if (_depth > 0) _depth--; }
        }

        private void Count(long n, ParsingEvent at)
        {
            _expanded += n;
            if (_expanded > MaxExpandedNodes)
                throw new RunnerException($"YAML aliases expand to more than {MaxExpandedNodes:N0} nodes (a \"billion laughs\" document?)",
                    Loc(at), exitCode: ExitCodes.ParserError);
        }

        private object? Collection(out long weight)
        {
            weight = 1;
            if (_parser.TryConsume<SequenceStart>(out var seqStart))
            {
                var list = new List<object?>();
                SourceMap.Set(list, Loc(seqStart));
                if (!seqStart.Anchor.IsEmpty) _anchors[seqStart.Anchor.Value] = list;
                while (!_parser.TryConsume<SequenceEnd>(out _)) { list.Add(Node(out var w)); weight += w; }
                if (!seqStart.Anchor.IsEmpty) _anchorWeights[seqStart.Anchor.Value] = weight;
                return list;
            }
            if (_parser.TryConsume<MappingStart>(out var mapStart))
            {
                var dict = new Dict();
                SourceMap.Set(dict, Loc(mapStart));
                if (!mapStart.Anchor.IsEmpty) _anchors[mapStart.Anchor.Value] = dict;
                while (!_parser.TryConsume<MappingEnd>(out _))
                {
                    var keyEvent = _parser.Current!;
                    var isMerge = keyEvent is Scalar ks && ks.Value == "<<" && ks.Style == ScalarStyle.Plain;
                    if (keyEvent is MappingStart or SequenceStart)
                        throw new RunnerException("Syntax Error while loading YAML: found unacceptable key (a mapping or a list cannot be a key)." + MissingQuotesHint,
                            Loc(keyEvent), exitCode: ExitCodes.ParserError);
                    var key = Node(out var kw);
                    var value = Node(out var vw);
                    weight += kw + vw;
                    if (isMerge)
                    {
                        IEnumerable<object?> sources = value is List<object?> l ? l : new[] { value };
                        foreach (var src in sources)
                            if (src is Dict sd)
                                foreach (var (mk, mv) in sd)
                                    dict.TryAdd(mk, mv);
                        continue;
                    }
                    var keyText = PyStr.Str(key);
                    if (dict.ContainsKey(keyText))
                        Warned?.Invoke($"While constructing a mapping from {_file}, line {mapStart.Start.Line}, column {mapStart.Start.Column}, found a duplicate dict key ({keyText}). Using last defined value only.");
                    dict[keyText] = value;
                    SourceMap.SetKey(dict, keyText, Loc(keyEvent));
                }
                if (!mapStart.Anchor.IsEmpty) _anchorWeights[mapStart.Anchor.Value] = weight;
                return dict;
            }
            throw new RunnerException($"unexpected YAML event {_parser.Current?.GetType().Name}", _parser.Current is { } c ? Loc(c) : null, exitCode: ExitCodes.ParserError);
        }
    }

    private static readonly Regex IntDec = new(@"^[-+]?(0|[1-9][0-9_]*)$", RegexOptions.Compiled);
    private static readonly Regex IntOct = new(@"^[-+]?0[0-7_]+$", RegexOptions.Compiled);
    private static readonly Regex IntHex = new(@"^[-+]?0x[0-9a-fA-F_]+$", RegexOptions.Compiled);
    private static readonly Regex IntBin = new(@"^[-+]?0b[0-1_]+$", RegexOptions.Compiled);
    private static readonly Regex IntSexa = new(@"^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+$", RegexOptions.Compiled);
    private static readonly Regex FloatRe = new(@"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$", RegexOptions.Compiled);
    private static readonly Regex FloatSexa = new(@"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*$", RegexOptions.Compiled);

    private static object? ResolveScalar(Scalar s, string file)
    {
        var v = s.Value ?? "";
        var tag = s.Tag.IsEmpty ? null : s.Tag.Value;
        if (tag is not null)
        {
            if (tag is "tag:yaml.org,2002:str" or "!unsafe" or "!") return v;
            if (tag == "!vault") return InlineVault.Decrypt(v, new SourceLocation(file, (int)s.Start.Line, (int)s.Start.Column));
            if (tag == "tag:yaml.org,2002:int" && TryInt(v, out var ti)) return ti;
            if (tag == "tag:yaml.org,2002:float" && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var tf)) return tf;
            if (tag == "tag:yaml.org,2002:bool") return ResolvePlain(v) is bool tb ? tb : v;
            if (tag == "tag:yaml.org,2002:null") return null;
        }
        if (s.Style != ScalarStyle.Plain) return v;
        return ResolvePlain(v);
    }

    /// <summary>Resolves a plain scalar as YAML 1.1 (PyYAML's resolver) does.</summary>
    public static object? ResolvePlain(string v)
    {
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON": return true;
            case "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF": return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF": return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF": return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN": return double.NaN;
        }
        if (v.Length == 0) return v;
        var c = v[0];
        if (!(char.IsDigit(c) || c is '-' or '+' or '.')) return v;
        if (TryInt(v, out var i)) return i;
        if (FloatRe.IsMatch(v) && v != "." && double.TryParse(v.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
        if (FloatSexa.IsMatch(v)) return v; // rare; keep as text
        return v;
    }

    private static bool TryInt(string v, out long value)
    {
        value = 0;
        var t = v.Replace("_", "");
        var neg = t.StartsWith('-');
        var body = t.TrimStart('-', '+');
        try
        {
            if (IntBin.IsMatch(v)) value = System.Convert.ToInt64(body[2..], 2);
            else if (IntHex.IsMatch(v)) value = System.Convert.ToInt64(body[2..], 16);
            else if (IntOct.IsMatch(v)) value = System.Convert.ToInt64(body, 8);
            else if (IntDec.IsMatch(v)) value = long.Parse(body, CultureInfo.InvariantCulture);
            else if (IntSexa.IsMatch(v))
            {
                long acc = 0;
                foreach (var part in body.Split(':')) acc = acc * 60 + long.Parse(part, CultureInfo.InvariantCulture);
                value = acc;
            }
            else return false;
        }
        catch (OverflowException) { return false; }
        if (neg) value = -value;
        return true;
    }
}
