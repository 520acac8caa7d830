using System.Text;
using Runner.Engine.Errors;
using Runner.Engine.Values;
using Runner.Engine.Yaml;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Runner.Engine.Variables;

/// <summary>
/// Edits one top-level variable of a host_vars/group_vars YAML file in place (`runner vars set/unset`),
/// keeping every other byte of the file: comments, key order, blank lines, quoting, line endings (LF or CRLF)
/// and a UTF-8 byte order mark. Only the edited entry changes:
/// <list type="bullet">
/// <item>set, key present with a one-line value and a one-line new value: only the value text is replaced
/// (a trailing comment stays);</item>
/// <item>set, otherwise: the entry's lines (key line through the last line of a block value) are replaced;</item>
/// <item>set, key absent: "key: value" is appended at the end of the file (after the last entry when the
/// file has a "..." document end or more documents);</item>
/// <item>unset: every entry of the key is removed, with its block value and comment lines indented under it.</item>
/// </list>
/// Values are written by <see cref="YamlValueWriter"/> so they read back as the same data.
/// The file is parsed with <see cref="YamlLoader"/> first (a file that does not parse is refused with a
/// <see cref="RunnerException"/> naming file:line:column and left untouched), the edited text is parsed again
/// and must give the old data with just that key changed (else refused: e.g. an alias elsewhere refers to an
/// anchor in the removed value), then written atomically (temporary file in the same folder, then rename;
/// Unix permissions kept; a symlink's target is edited). A missing file (and its folder) is created.
/// Positions come from YamlDotNet's parser events; the document is never re-serialized.
/// </summary>
public static class VarsFileEditor
{
    /// <summary>Sets top-level <paramref name="key"/> to <paramref name="value"/> (Dict, List, string, long, double, bool, null;
    /// other .NET dictionaries and lists are converted). Setting the value the key already has changes nothing.</summary>
    /// <exception cref="RunnerException">The file does not parse, is not a mapping, cannot be read or written,
    /// or the key is empty.</exception>
    public static EditResult Set(string path, string key, object? value)
    {
        CheckKey(key);
        var newValue = Normalize(value);
        path = ResolveLinks(path);
        if (!File.Exists(path))
        {
            var created = YamlValueWriter.Entry(key, newValue, "", "\n");
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            try { if (dir is not null) Directory.CreateDirectory(dir); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new RunnerException($"Unable to create folder '{dir}': {e.Message}", new SourceLocation(path, 0, 0));
            }
            Verify(path, created, new Dict { [key] = newValue }, key);
            WriteAtomically(path, Encoding.UTF8.GetBytes(created), null);
            return new EditResult(path, key, true, true, false, null, true, newValue);
        }

        var doc = Read(path);
        var hadOld = doc.Data.TryGetValue(key, out var oldValue);
        if (hadOld && DataEquals(oldValue, newValue))
            return new EditResult(path, key, false, false, true, oldValue, true, oldValue);

        var text = doc.Text;
        var entries = doc.Layout.Entries.Where(e => e.Key == key).ToList();
        var nl = text.Contains("\r\n") ? "\r\n" : "\n";
        if (entries.Count > 0)
        {
            var e = entries[^1]; // the one YAML keeps
            if (e.InlineValue && YamlValueWriter.IsInline(newValue))
                text = text[..e.ValueStart] + YamlValueWriter.Inline(newValue) + text[e.ValueEnd..];
            else
                text = text[..e.LineStart] + YamlValueWriter.Entry(key, newValue, e.Indent, nl) + text[e.EntryEnd..];
        }
        else
        {
            var entry = YamlValueWriter.Entry(key, newValue, doc.Layout.Indent, nl);
            if (doc.Layout.AppendAt is { } at)
                text = text[..at] + entry + text[at..];
            else
            {
                if (text.Length > 0 && !text.EndsWith('\n')) text += nl;
                text += entry;
            }
        }
        var expected = new Dict(doc.Data) { [key] = newValue };
        Verify(path, text, expected, key);
        WriteAtomically(path, Encode(text, doc.Bom), path);
        return new EditResult(path, key, true, false, hadOld, oldValue, true, newValue);
    }

    /// <summary>Removes top-level <paramref name="key"/> (all its entries); a missing key or file changes nothing.</summary>
    /// <exception cref="RunnerException">As for <see cref="Set"/>.</exception>
    public static EditResult Unset(string path, string key)
    {
        CheckKey(key);
        path = ResolveLinks(path);
        if (!File.Exists(path)) return new EditResult(path, key, false, false, false, null, false, null);
        var doc = Read(path);
        if (!doc.Data.TryGetValue(key, out var oldValue))
            return new EditResult(path, key, false, false, false, null, false, null);
        var text = doc.Text;
        foreach (var e in doc.Layout.Entries.Where(e => e.Key == key).OrderByDescending(e => e.LineStart))
            text = text[..e.LineStart] + text[e.EntryEnd..];
        var expected = new Dict(doc.Data);
        expected.Remove(key);
        Verify(path, text, expected, key);
        WriteAtomically(path, Encode(text, doc.Bom), path);
        return new EditResult(path, key, true, false, true, oldValue, false, null);
    }

    /// <summary>A parser mark's character index (UTF-16 units from the start of the text).</summary>
    private static int Ix(this Mark m) => (int)m.Index;

    private static void CheckKey(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Any(char.IsControl))
            throw new RunnerException($"Invalid variable name '{key}': it must be a non-empty name without control characters", key: key, exitCode: ExitCodes.BadOptions);
    }

    private static string ResolveLinks(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target) return target.FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return path;
    }

    private sealed record Document(string Text, bool Bom, Dict Data, FileLayout Layout);

    private static Document Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RunnerException($"Unable to read '{path}': {e.Message}", new SourceLocation(path, 0, 0));
        }
        var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        string text;
        try { text = new UTF8Encoding(false, true).GetString(bytes, bom ? 3 : 0, bytes.Length - (bom ? 3 : 0)); }
        catch (DecoderFallbackException)
        {
            throw new RunnerException($"'{path}' is not valid UTF-8 text; refusing to edit it", new SourceLocation(path, 0, 0));
        }
        var data = LoadChecked(text, path);
        if (data is not (null or Dict))
        {
            var loc = SourceMap.Of(data) ?? new SourceLocation(path, 1, 1);
            throw new RunnerException($"'{path}' does not hold a mapping of variables (its top level is a {Kind(data)}); refusing to edit it", loc);
        }
        var layout = FileLayout.Scan(text, path);
        return new Document(text, bom, data as Dict ?? new Dict(), layout);
    }

    /// <summary>
    /// <see cref="YamlLoader.Load"/>, plus a position for errors YamlDotNet reports without one
    /// (its scanner throws InvalidOperationException on some unterminated flow collections).
    /// </summary>
    private static object? LoadChecked(string text, string path)
    {
        try { return YamlLoader.Load(text, path); }
        catch (Exception e) when (e is not RunnerException and (InvalidOperationException or ArgumentException or FormatException))
        {
            var last = new Mark();
            try
            {
                var scanner = new Scanner(new StringReader(text));
                while (scanner.MoveNext()) last = scanner.Current!.End;
            }
            catch (Exception) { /* the position reached so far is what we report */ }
            throw new RunnerException("Syntax Error while loading YAML: the document is malformed near here (an unclosed bracket or quote?)",
                new SourceLocation(path, (int)last.Line, (int)last.Column), exitCode: ExitCodes.ParserError, inner: e);
        }
    }

    private static string Kind(object? v) => v switch
    {
        List<object?> => "list",
        string => "string",
        _ => "scalar",
    };

    private static byte[] Encode(string text, bool bom)
    {
        var body = Encoding.UTF8.GetBytes(text);
        if (!bom) return body;
        var all = new byte[body.Length + 3];
        all[0] = 0xEF; all[1] = 0xBB; all[2] = 0xBF;
        body.CopyTo(all, 3);
        return all;
    }

    /// <summary>The edited text must parse and give exactly the expected data.</summary>
    private static void Verify(string path, string text, Dict expected, string key)
    {
        object? reread;
        try { reread = LoadChecked(text, path); }
        catch (RunnerException e)
        {
            throw new RunnerException($"Editing '{key}' would leave '{path}' unparsable ({e.Message}); the file was not changed", new SourceLocation(path, 0, 0), key);
        }
        if (!DataEquals(reread ?? new Dict(), expected))
            throw new RunnerException(
                $"Editing '{key}' in '{path}' would change other variables too (anchors, aliases or merge keys refer to it); the file was not changed, edit it by hand",
                new SourceLocation(path, 0, 0), key);
    }

    private static void WriteAtomically(string path, byte[] bytes, string? modeFrom)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            if (modeFrom is not null && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, File.GetUnixFileMode(modeFrom));
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception) { /* best effort */ }
            throw new RunnerException($"Unable to write '{path}': {e.Message}", new SourceLocation(path, 0, 0));
        }
    }

    /// <summary>Converts .NET values to the data model (int to long, float to double, dictionaries to Dict, lists to List).</summary>
    private static object? Normalize(object? v) => v switch
    {
        null or string or long or bool or double => v,
        int or short or byte or sbyte or uint or ushort => System.Convert.ToInt64(v),
        ulong u when u <= long.MaxValue => (long)u,
        float f => (double)f,
        decimal m => (double)m,
        Dict d => new Dict(d.Select(kv => new KeyValuePair<string, object?>(kv.Key, Normalize(kv.Value)))),
        IEnumerable<KeyValuePair<string, object?>> d => new Dict(d.Select(kv => new KeyValuePair<string, object?>(kv.Key, Normalize(kv.Value)))),
        System.Collections.IEnumerable list => list.Cast<object?>().Select(Normalize).ToList(),
        _ => throw new RunnerException($"Cannot write a value of type {v.GetType().Name} to a vars file"),
    };

    /// <summary>Structural equality of data-model values; mapping key order is ignored, numbers compare by type and value.</summary>
    public static bool DataEquals(object? a, object? b)
    {
        switch (a)
        {
            case null: return b is null;
            case Dict da:
                if (b is not Dict db || da.Count != db.Count) return false;
                foreach (var (k, v) in da)
                    if (!db.TryGetValue(k, out var w) || !DataEquals(v, w)) return false;
                return true;
            case List<object?> la:
                if (b is not List<object?> lb || la.Count != lb.Count) return false;
                for (var i = 0; i < la.Count; i++) if (!DataEquals(la[i], lb[i])) return false;
                return true;
            case double x: return b is double y && x.Equals(y);
            default: return a.Equals(b);
        }
    }

    /// <summary>Where the entries of the first document's top-level block mapping are in the text.</summary>
    private sealed class FileLayout
    {
        public List<EntrySpan> Entries { get; } = new();
        /// <summary>Indentation of the top-level keys ("" normally).</summary>
        public string Indent { get; set; } = "";
        /// <summary>Where to insert a new entry when appending at the end of the file is wrong; null to append.</summary>
        public int? AppendAt { get; set; }

        public static FileLayout Scan(string text, string path)
        {
            var events = new List<ParsingEvent>();
            try
            {
                var parser = new Parser(new StringReader(text));
                while (parser.MoveNext()) events.Add(parser.Current!);
            }
            catch (YamlException e)
            {
                throw new RunnerException($"Syntax Error while loading YAML: {e.Message}", new SourceLocation(path, (int)e.Start.Line, (int)e.Start.Column), exitCode: ExitCodes.ParserError);
            }
            var layout = new FileLayout();
            var i = 0;
            while (i < events.Count && events[i] is not DocumentStart) i++;
            if (i >= events.Count) return layout; // empty stream
            i++;
            var docCount = events.Count(e => e is DocumentStart);
            var firstEnd = events.OfType<DocumentEnd>().FirstOrDefault();
            var needsInsertPoint = docCount > 1 || firstEnd is { IsImplicit: false };
            if (events[i] is DocumentEnd)
            {
                if (needsInsertPoint) layout.AppendAt = LineStartAt(text, events[i].Start.Ix());
                return layout;
            }
            if (events[i] is not MappingStart ms) return layout; // Read() already refused non-mappings
            if (ms.Style == MappingStyle.Flow)
                throw new RunnerException($"'{path}' holds a flow mapping ({{...}}); only block mappings can be edited in place",
                    new SourceLocation(path, (int)ms.Start.Line, (int)ms.Start.Column));
            i++;
            var lastEnd = -1;
            var first = true;
            while (events[i] is not MappingEnd)
            {
                var keyEv = events[i];
                var keyNode = Node.Consume(events, ref i, text);
                var valueNode = Node.Consume(events, ref i, text);
                var lineStart = LineStartAt(text, keyEv.Start.Ix());
                var indent = text[lineStart..keyEv.Start.Ix()];
                if (first) { layout.Indent = indent.Trim().Length == 0 ? indent : ""; first = false; }
                var contentEnd = Math.Max(keyNode.ContentEnd, valueNode.ContentEnd);
                var entryEnd = ExtendOverIndentedComments(text, LineEndAfter(text, contentEnd), indent.Length);
                var keyText = keyEv is Scalar ks
                    ? ks.Style == ScalarStyle.Plain && ks.Tag.IsEmpty ? PyStr.Str(YamlLoader.ResolvePlain(ks.Value)) : ks.Value
                    : null;
                var inline = keyEv is Scalar && indent.Trim().Length == 0 && valueNode.IsScalarLike
                    && LineOf(text, valueNode.Start) == LineOf(text, keyEv.Start.Ix())
                    && LineOf(text, Math.Max(valueNode.ContentEnd - 1, valueNode.Start)) == LineOf(text, keyEv.Start.Ix())
                    && valueNode.ContentEnd > valueNode.Start;
                if (keyText is not null && indent.Trim().Length == 0)
                    layout.Entries.Add(new EntrySpan(keyText, lineStart, entryEnd, indent, inline, valueNode.Start, valueNode.ContentEnd));
                lastEnd = Math.Max(lastEnd, entryEnd);
            }
            if (needsInsertPoint) layout.AppendAt = lastEnd >= 0 ? lastEnd : LineStartAt(text, events[i].Start.Ix());
            return layout;
        }

        private static int LineStartAt(string text, int index)
        {
            var nl = index <= 0 ? -1 : text.LastIndexOf('\n', Math.Min(index, text.Length) - 1);
            return nl + 1;
        }

        private static int LineEndAfter(string text, int contentEnd)
        {
            if (contentEnd <= 0) return 0;
            var nl = text.IndexOf('\n', contentEnd - 1);
            return nl < 0 ? text.Length : nl + 1;
        }

        private static int LineOf(string text, int index)
        {
            var n = 0;
            for (var k = 0; k < Math.Min(index, text.Length); k++) if (text[k] == '\n') n++;
            return n;
        }

        /// <summary>Comment lines right after an entry, indented deeper than its key, belong to it.</summary>
        private static int ExtendOverIndentedComments(string text, int end, int keyIndent)
        {
            while (end < text.Length)
            {
                var nl = text.IndexOf('\n', end);
                var lineEnd = nl < 0 ? text.Length : nl + 1;
                var line = text[end..lineEnd];
                var body = line.TrimStart(' ', '\t');
                var ind = line.Length - body.Length;
                if (!body.StartsWith('#') || ind <= keyIndent) break;
                end = lineEnd;
            }
            return end;
        }
    }

    /// <summary>One top-level entry: the lines [LineStart, EntryEnd) and, for a one-line value, its text [ValueStart, ValueEnd).</summary>
    private sealed record EntrySpan(string Key, int LineStart, int EntryEnd, string Indent, bool InlineValue, int ValueStart, int ValueEnd);

    /// <summary>A node's extent in the text, from its parser events.</summary>
    private readonly record struct Node(int Start, int ContentEnd, bool IsScalarLike)
    {
        /// <summary>Consumes the events of one node starting at <paramref name="i"/>.</summary>
        public static Node Consume(List<ParsingEvent> events, ref int i, string text)
        {
            var start = events[i].Start.Ix();
            var end = start;
            var depth = 0;
            var scalarLike = events[i] is Scalar or AnchorAlias
                || events[i] is SequenceStart { Style: SequenceStyle.Flow } || events[i] is MappingStart { Style: MappingStyle.Flow };
            var styles = new Stack<bool>(); // true = flow
            do
            {
                var ev = events[i];
                switch (ev)
                {
                    case Scalar s:
                        end = Math.Max(end, TrimBack(text, s.End.Ix(), s.Start.Ix()));
                        break;
                    case AnchorAlias a:
                        end = Math.Max(end, a.End.Ix());
                        break;
                    case SequenceStart ss:
                        depth++; styles.Push(ss.Style == SequenceStyle.Flow);
                        end = Math.Max(end, ss.End.Ix());
                        break;
                    case MappingStart mst:
                        depth++; styles.Push(mst.Style == MappingStyle.Flow);
                        end = Math.Max(end, mst.End.Ix());
                        break;
                    case SequenceEnd or MappingEnd:
                        depth--;
                        if (styles.Pop())
                        {
                            var k = ev.Start.Ix();
                            while (k < text.Length && text[k] is not (']' or '}')) k++;
                            end = Math.Max(end, Math.Min(k + 1, text.Length));
                        }
                        break;
                }
                i++;
            } while (depth > 0);
            return new Node(start, end, scalarLike);
        }

        /// <summary>The end of a scalar's text without the line breaks and blank lines a block scalar's mark includes.</summary>
        private static int TrimBack(string text, int end, int start)
        {
            end = Math.Min(end, text.Length);
            while (end > start && text[end - 1] is ' ' or '\t' or '\r' or '\n') end--;
            return end;
        }
    }
}
