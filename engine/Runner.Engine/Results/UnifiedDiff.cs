using System.Text;
using Runner.Engine.Values;
using DiffPlex;

namespace Runner.Engine.Results;

/// <summary>
/// Unified diffs shaped like Python's difflib.unified_diff (n lines of context, "@@ -a,b +c,d @@"
/// ranges as difflib formats them), which Ansible's callbacks print for --diff. Lines are compared
/// with DiffPlex.
/// </summary>
public static class UnifiedDiff
{
    private sealed record Op(char Tag, int I1, int I2, int J1, int J2);

    /// <summary>
    /// The diff lines (each without a trailing newline) between two texts; empty when they are equal.
    /// A last line without a newline is followed by "\ No newline at end of file", as Ansible shows it.
    /// </summary>
    public static List<string> Diff(string before, string after, string fromFile, string toFile, int context = 3)
    {
        var a = PyLines.ReadLines(before);
        var b = PyLines.ReadLines(after);
        var ops = Opcodes(a, b);
        var output = new List<string>();
        if (ops.All(o => o.Tag == 'e')) return output;
        output.Add("--- " + fromFile);
        output.Add("+++ " + toFile);
        foreach (var group in GroupOpcodes(ops, context))
        {
            var first = group[0];
            var last = group[^1];
            output.Add($"@@ -{Range(first.I1, last.I2)} +{Range(first.J1, last.J2)} @@");
            foreach (var op in group)
            {
                if (op.Tag == 'e')
                {
                    for (var i = op.I1; i < op.I2; i++) AddLine(output, ' ', a[i]);
                    continue;
                }
                if (op.Tag is 'r' or 'd')
                    for (var i = op.I1; i < op.I2; i++) AddLine(output, '-', a[i]);
                if (op.Tag is 'r' or 'i')
                    for (var j = op.J1; j < op.J2; j++) AddLine(output, '+', b[j]);
            }
        }
        return output;
    }

    private static void AddLine(List<string> output, char prefix, string line)
    {
        if (line.EndsWith('\n')) output.Add(prefix + line[..^1]);
        else
        {
            output.Add(prefix + line);
            output.Add("\\ No newline at end of file");
        }
    }

    private static string Range(int start, int stop)
    {
        var beginning = start + 1;
        var length = stop - start;
        if (length == 1) return beginning.ToString();
        if (length == 0) beginning -= 1;
        return $"{beginning},{length}";
    }

    private static List<Op> Opcodes(List<string> a, List<string> b)
    {
        var differ = new Differ();
        var result = differ.CreateDiffs(string.Join("\u0001", a), string.Join("\u0001", b), false, false,
            new DiffPlex.Chunkers.CustomFunctionChunker(s => s.Length == 0 ? Array.Empty<string>() : s.Split('\u0001')));
        var ops = new List<Op>();
        int i = 0, j = 0;
        foreach (var block in result.DiffBlocks)
        {
            if (block.DeleteStartA > i || block.InsertStartB > j)
                ops.Add(new Op('e', i, block.DeleteStartA, j, block.InsertStartB));
            i = block.DeleteStartA;
            j = block.InsertStartB;
            var tag = block.DeleteCountA > 0 && block.InsertCountB > 0 ? 'r' : block.DeleteCountA > 0 ? 'd' : 'i';
            ops.Add(new Op(tag, i, i + block.DeleteCountA, j, j + block.InsertCountB));
            i += block.DeleteCountA;
            j += block.InsertCountB;
        }
        if (i < a.Count || j < b.Count) ops.Add(new Op('e', i, a.Count, j, b.Count));
        if (ops.Count == 0) ops.Add(new Op('e', 0, 0, 0, 0));
        return ops;
    }

    private static IEnumerable<List<Op>> GroupOpcodes(List<Op> codes, int n)
    {
        codes = new List<Op>(codes);
        if (codes[0].Tag == 'e')
        {
            var c = codes[0];
            codes[0] = c with { I1 = Math.Max(c.I1, c.I2 - n), J1 = Math.Max(c.J1, c.J2 - n) };
        }
        if (codes[^1].Tag == 'e')
        {
            var c = codes[^1];
            codes[^1] = c with { I2 = Math.Min(c.I2, c.I1 + n), J2 = Math.Min(c.J2, c.J1 + n) };
        }
        var nn = n + n;
        var group = new List<Op>();
        foreach (var c in codes)
        {
            var (tag, i1, i2, j1, j2) = (c.Tag, c.I1, c.I2, c.J1, c.J2);
            if (tag == 'e' && i2 - i1 > nn)
            {
                group.Add(new Op('e', i1, Math.Min(i2, i1 + n), j1, Math.Min(j2, j1 + n)));
                yield return group;
                group = new List<Op>();
                i1 = Math.Max(i1, i2 - n);
                j1 = Math.Max(j1, j2 - n);
            }
            group.Add(new Op(tag, i1, i2, j1, j2));
        }
        if (group.Count > 0 && !(group.Count == 1 && group[0].Tag == 'e')) yield return group;
    }
}
