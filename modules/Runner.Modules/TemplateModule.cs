using System.Text;
using Runner.Engine.Modules;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.template (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/template_module.html):
/// renders a controller template (found in templates/ and the search folders) with the task's variables
/// and writes it like copy does. .j2 and other files go through Templar.RenderTemplateFile with the
/// environment the options trim_blocks, lstrip_blocks, newline_sequence and the six *_string delimiters
/// describe (a "#jinja2:" first line of the template overrides them); .sbn files through Templar.RenderScriban.
/// </summary>
public sealed class TemplateModule : PlanningModule
{
    public override string Name => "template";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("src", OptionType.Path, Required: true),
        new("newline_sequence", Default: "\n", Choices: new[] { "\n", "\r", "\r\n", "\\n", "\\r", "\\r\\n" }),
        new("trim_blocks", OptionType.Bool, Default: true), new("lstrip_blocks", OptionType.Bool, Default: false),
        new("variable_start_string"), new("variable_end_string"), new("block_start_string"), new("block_end_string"),
        new("comment_start_string"), new("comment_end_string"), new("output_encoding", Default: "utf-8"),
    }.Concat(ContentWriter.Options).Concat(FileAttrs.Options).ToArray()) { SupportsAsync = false };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var src = ctx.Args.Str("src")!;
        var local = ctx.FindFile(src, "templates");
        if (local is null || !File.Exists(local)) return Plan.Fail($"Could not find or access '{src}'");
        var text = await File.ReadAllTextAsync(local, ct);
        string rendered;
        try
        {
            rendered = Render(ctx.Templar, text, ctx.Variables, local, Options(ctx.Args), ctx.Args.Str("src") ?? local);
        }
        catch (TemplateError e)
        {
            // the template action's except: "TYPE: MSG" and the traceback (whose last line the default callback shows); an
            // undefined variable's message is doubled by the templating of the file (do_template)
            var message = e is UndefinedVariableError ? $"{e.Message}. {e.Message}" : e.Message;
            return Plan.Fail($"{e.PyClass[(e.PyClass.LastIndexOf('.') + 1)..]}: {message}",
                new Dict { ["exception"] = $"Traceback (most recent call last):\n{e.PyClass}: {message}" });
        }
        byte[] bytes;
        try { bytes = OutputEncoding(ctx.Args.Str("output_encoding")).GetBytes(rendered); }
        catch (Exception e) when (e is ArgumentException or EncoderFallbackException) { return Plan.Fail($"{e.GetType().Name}: {e.Message}"); }
        return await ContentWriter.PlanAsync(ctx, ctx.Args.Str("dest")!, bytes, Path.GetFileName(local), ct);
    }

    private static string Render(Templar templar, string text, IVariableScope vars, string path, TemplateOptions options, string asNamed)
    {
        return path.EndsWith(".sbn", StringComparison.Ordinal)
            ? templar.RenderScriban(text, vars, path)
            : templar.RenderTemplateFile(text, vars, path, options, asNamed);
    }

    /// <summary>
    /// output_encoding (default utf-8): the rendered text is written in that encoding, strictly (a character it
    /// cannot hold fails the task, as Python's encode with errors='strict' does). UTF-8 is written without a BOM.
    /// </summary>
    private static Encoding OutputEncoding(string? name)
    {
        // Python's codec names: case, '-' and '_' do not matter; latin-1 and ascii have aliases .NET lacks
        var key = (string.IsNullOrEmpty(name) ? "utf-8" : name).Replace("-", "").Replace("_", "").ToLowerInvariant();
        if (key is "utf8" or "u8") return new UTF8Encoding(false, true);
        var net = key switch { "latin1" or "l1" or "iso88591" or "8859" => "iso-8859-1", "ascii" or "usascii" => "us-ascii", _ => name! };
        return Encoding.GetEncoding(net, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    /// <summary>The Jinja environment of the task's options; "\\n"-style escaped sequences are unescaped as Ansible does.</summary>
    private static TemplateOptions Options(Dict args)
    {
        var d = TemplateOptions.Ansible;
        var nl = args.Str("newline_sequence") ?? "\n";
        return d with
        {
            NewlineSequence = nl.Replace("\\r", "\r").Replace("\\n", "\n"),
            TrimBlocks = args.Bool("trim_blocks", true),
            LstripBlocks = args.Bool("lstrip_blocks"),
            BlockStart = args.Str("block_start_string") ?? d.BlockStart,
            BlockEnd = args.Str("block_end_string") ?? d.BlockEnd,
            VariableStart = args.Str("variable_start_string") ?? d.VariableStart,
            VariableEnd = args.Str("variable_end_string") ?? d.VariableEnd,
            CommentStart = args.Str("comment_start_string") ?? d.CommentStart,
            CommentEnd = args.Str("comment_end_string") ?? d.CommentEnd,
        };
    }
}
