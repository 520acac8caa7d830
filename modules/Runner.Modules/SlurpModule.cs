using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.slurp (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/slurp_module.html):
/// a target file's bytes, base64-encoded. Result {"changed": false, "content", "source", "encoding": "base64"};
/// failures as Ansible's: "file not found: SRC", "file is not readable: SRC", "source is a directory and must be a
/// file: SRC", "unable to slurp file: SRC" (not a regular file).
/// </summary>
public sealed class SlurpModule : PlanningModule
{
    public override string Name => "slurp";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(new OptionSpec("src", OptionType.Path, Required: true, Aliases: new[] { "path" }));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var src = ctx.Args.Str("src")!;
        var stat = new FileStatFact(src, follow: true);
        var content = new FileContentFact(src);
        await ctx.Facts.GetAsync(ct, stat, content);
        var st = await ctx.Facts.GetAsync(stat, ct);
        var bytes = await ctx.Facts.GetAsync(content, ct);
        if (!st.Exists) return Plan.Fail($"file not found: {src}");
        if (st.Type == "directory") return Plan.Fail($"source is a directory and must be a file: {src}");
        if (!st.Readable) return Plan.Fail($"file is not readable: {src}");
        if (bytes is null) return Plan.Fail($"unable to slurp file: {src}");
        return Plan.Ok(new Dict { ["content"] = Convert.ToBase64String(bytes), ["source"] = src, ["encoding"] = "base64" });
    }
}
