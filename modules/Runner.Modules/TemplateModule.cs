using System.Text;
using Runner.Engine.Modules;
using Runner.Engine.Templating;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.template (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/template_module.html):
/// renders a controller template (found in templates/ and the search folders) with the task's variables
/// and writes it like copy does. .j2 and other files go through Templar.RenderTemplateFile; .sbn files
/// through Templar.RenderScriban. newline_sequence converts line ends.
/// </summary>
public sealed class TemplateModule : IModule
{
    public string Name => "template";

    public ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("src", OptionType.Path, Required: true), new("newline_sequence", Default: "\n", Choices: new[] { "\n", "\r", "\r\n" }),
        new("trim_blocks", OptionType.Bool, Default: true), new("lstrip_blocks", OptionType.Bool, Default: false),
        new("variable_start_string"), new("variable_end_string"), new("block_start_string"), new("block_end_string"),
        new("comment_start_string"), new("comment_end_string"), new("output_encoding", Default: "utf-8"),
    }.Concat(ContentWriter.Options).Concat(FileAttrs.Options).ToArray());

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var src = ctx.Args.Str("src")!;
        var local = ctx.FindFile(src, "templates");
        if (local is null || !File.Exists(local)) return Results.Fail($"Could not find or access '{src}'");
        var text = await File.ReadAllTextAsync(local, ct);
        string rendered;
        try
        {
            rendered = Render(ctx.Templar, text, ctx.Variables, local);
        }
        catch (TemplateError e)
        {
            return Results.Fail($"{e.GetType().Name switch { "UndefinedVariableError" => "AnsibleUndefinedVariable", _ => "AnsibleError" }}: {e.Message}");
        }
        var nl = ctx.Args.Str("newline_sequence") ?? "\n";
        if (nl != "\n") rendered = rendered.Replace("\r\n", "\n").Replace("\n", nl);
        return await ContentWriter.WriteAsync(ctx, ctx.Args.Str("dest")!, Encoding.UTF8.GetBytes(rendered), Path.GetFileName(local), ct);
    }

    private static string Render(Templar templar, string text, IVariableScope vars, string path)
    {
        return path.EndsWith(".sbn", StringComparison.Ordinal)
            ? templar.RenderScriban(text, vars, path)
            : templar.RenderTemplateFile(text, vars, path);
    }
}
