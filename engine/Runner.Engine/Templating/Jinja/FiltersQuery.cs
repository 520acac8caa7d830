using System.Text;
using System.Text.Json;
using DevLab.JmesPath;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Jinja;

/// <summary>
/// community.general.json_query (plugins/filter/json_query.py; the short name `json_query` is routed there by Ansible):
/// a JMESPath expression (https://jmespath.org/specification.html) evaluated on the value with JmesPath.Net. The value is
/// passed as JSON, so mappings keep their order and numbers their int/float kind; the result comes back as the
/// template's values (null for no match). Errors: "JMESPathError in json_query filter plugin:\n..." as Ansible's.
/// </summary>
internal static partial class Filters
{
    private static readonly JmesPath JmesPath = new();

    private static void AddQuery(Dictionary<string, Fn> r)
    {
        r["json_query"] = (v, a) =>
        {
            var expr = a.Str(0, "expr") ?? throw new TemplateError("json_query requires an expression");
            string json;
            try { json = JmesPath.Transform(PyStr.JsonDumps(Plain(v)), LenientLiterals(expr)); }
            catch (Exception e) when (e is not TemplateError)
            {
                throw new TemplateError($"JMESPathError in json_query filter plugin:\n{e.Message}");
            }
            using var doc = JsonDocument.Parse(json);
            return Data.FromJson(doc.RootElement);
        };
    }

    /// <summary>
    /// Python jmespath's lexer reads a `literal` that is not valid JSON (`web`) as the string "web" (deprecated, still
    /// accepted and widely used in roles); JmesPath.Net refuses it. Such literals are rewritten to JSON strings; quoted
    /// 'raw strings' are left alone.
    /// </summary>
    private static string LenientLiterals(string expr)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < expr.Length; i++)
        {
            var c = expr[i];
            if (c == '\'')
            {
                var end = i + 1;
                while (end < expr.Length && expr[end] != '\'') end += expr[end] == '\\' ? 2 : 1;
                sb.Append(expr, i, Math.Min(end + 1, expr.Length) - i);
                i = end;
                continue;
            }
            if (c != '`') { sb.Append(c); continue; }
            var j = i + 1;
            var lit = new StringBuilder();
            while (j < expr.Length && expr[j] != '`')
            {
                if (expr[j] == '\\' && j + 1 < expr.Length && expr[j + 1] == '`') { lit.Append('`'); j += 2; continue; }
                lit.Append(expr[j++]);
            }
            var text = lit.ToString();
            var valid = true;
            try { using var _ = JsonDocument.Parse(text); } catch (JsonException) { valid = false; }
            sb.Append('`').Append(valid ? text.Replace("`", "\\`") : PyStr.JsonString(text).Replace("`", "\\`")).Append('`');
            i = j;
        }
        return sb.ToString();
    }
}
