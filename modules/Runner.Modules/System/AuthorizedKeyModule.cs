using System.Text;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.posix.authorized_key (https://docs.ansible.com/ansible/latest/collections/ansible/posix/authorized_key_module.html):
/// adds or removes SSH keys (one or several lines of <c>key</c>) in a user's authorized_keys (default
/// ~USER/.ssh/authorized_keys), parsed and written back as <see cref="AuthorizedKeys"/>. A write (only when the
/// content changes) creates ~/.ssh 0700 (manage_dir) and leaves the file 0600, both owned by the user (uid and
/// primary gid). Result as Ansible's: the module's options plus keyfile and changed; diff {before_header: keyfile,
/// after_header: the followed path, before, after}. Failures: "invalid key specified: LINE", "Failed to lookup user
/// USER: ..."; a key URL (key starting with "http") is not supported.
/// </summary>
public sealed class AuthorizedKeyModule : PlanningModule
{
    public override string Name => "authorized_key";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("user", Required: true),
        new OptionSpec("key", Required: true),
        new OptionSpec("path", OptionType.Path),
        new OptionSpec("manage_dir", OptionType.Bool, Default: true),
        new OptionSpec("state", Default: "present", Choices: new[] { "absent", "present" }),
        new OptionSpec("key_options"),
        new OptionSpec("exclusive", OptionType.Bool, Default: false),
        new OptionSpec("comment"),
        new OptionSpec("validate_certs", OptionType.Bool, Default: true),
        new OptionSpec("follow", OptionType.Bool, Default: false));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var (user, key, state) = (a.Str("user")!, a.Str("key")!, a.Str("state")!);
        var result = new Dict();
        foreach (var o in new[] { "user", "key", "path", "manage_dir", "state", "key_options", "exclusive", "comment", "validate_certs", "follow" })
            result[o] = a.Get(o);
        if (key.StartsWith("http", StringComparison.Ordinal))
            return Plan.Fail("authorized_key: a key from a URL is not supported by Runner; fetch it first (get_url or lookup('url'))");

        var pw = await ctx.Facts.GetAsync(new UserFact(user), ct);
        var lookupFailed = $"Failed to lookup user {user}: \"getpwnam(): name not found: '{user}'\"";
        if (pw is null && !a.Has("path")) return Plan.Fail(lookupFailed);
        var keyfile = a.Str("path") ?? pw!.Home.TrimEnd('/') + "/.ssh/authorized_keys";
        var sshdir = DirName(keyfile);
        result["keyfile"] = keyfile;
        FileStatFact statKeys = new(keyfile), statDir = new(sshdir);
        var content = new FileContentFact(keyfile);
        await ctx.Facts.GetAsync(ct, content, statKeys, statDir);
        var existingText = await ctx.Facts.GetAsync(content, ct) is { } b ? Encoding.UTF8.GetString(b) : "";
        var existing = AuthorizedKeys.Parse(existingText);

        var write = false;
        var keep = new List<string>();
        var maxRank = existing.Count;
        var newKeys = PyLines.Split(key, bytesOnly: true).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        for (var i = 0; i < newKeys.Count; i++)
        {
            var parsed = AuthorizedKeys.ParseKey(newKeys[i], i);
            if (parsed is null || parsed.Type is null) return Plan.Fail("invalid key specified: " + newKeys[i]);
            if (a.Has("key_options")) parsed = parsed with { Options = AuthorizedKeys.ParseOptions(a.Str("key_options")) };
            if (a.Has("comment")) parsed = parsed with { Comment = a.Str("comment")! };
            var old = existing.Find(parsed.Id);
            var matched = old is not null && (state != "present" || parsed.SameAs(old));
            if (state == "present")
            {
                keep.Add(parsed.Id);
                if (old is not null && !matched) write |= existing.Remove(parsed.Id);
                if (!matched) { existing.Set(parsed with { Rank = maxRank + i }); write = true; }
            }
            else if (matched) { existing.Remove(parsed.Id); write = true; }
        }
        if (state == "present" && a.Bool("exclusive")) write |= existing.RemoveAllBut(keep);
        var plan = new Plan { Result = result };
        if (!write) return plan;

        var target = keyfile;
        var keysState = await ctx.Facts.GetAsync(statKeys, ct);
        if (a.Bool("follow") && keysState.IsLink && keysState.LinkResolved is { Length: > 0 } real) target = real;
        var after = existing.Serialize();
        plan.Diff = new Dict { ["before_header"] = keyfile, ["after_header"] = target, ["before"] = existingText, ["after"] = after };
        if (pw is null)
        {
            // Ansible looks the user up only outside check mode when a path is given: the lookup is the first step
            plan.Add(new RunStep(Argv.Of("getent", "passwd", user)) { FailMessage = lookupFailed });
            return plan.Add(new PutFileStep(target, Encoding.UTF8.GetBytes(after)));
        }
        if (a.Bool("manage_dir"))
        {
            if (!(await ctx.Facts.GetAsync(statDir, ct)).Exists) plan.Add(OwnedFileSteps.MakeDir(sshdir, "0700"));
            foreach (var s in OwnedFileSteps.Own(sshdir, pw.Uid, pw.Gid, "0700")) plan.Add(s);
        }
        else if (!keysState.Exists && !(await ctx.Facts.GetAsync(statDir, ct)).Exists)
            plan.Add(new RunStep(Argv.Of("mkdir", "-p", "--", DirName(target))));
        plan.Add(new PutFileStep(target, Encoding.UTF8.GetBytes(after)) { Creates = new Planned.File(target) });
        // Ansible ignores a failed chown/chmod of the key file (os errors passed over)
        foreach (var s in OwnedFileSteps.Own(target, pw.Uid, pw.Gid, "0600")) plan.Add(((RunStep)s) with { OkExitCodes = new[] { 1 } });
        return plan;
    }

    private static string DirName(string path) => path.LastIndexOf('/') is var i and > 0 ? path[..i] : "/";
}
