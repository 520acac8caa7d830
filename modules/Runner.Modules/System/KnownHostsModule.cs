using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.known_hosts (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/known_hosts_module.html):
/// adds, replaces or removes a host's key in a known_hosts file (default ~/.ssh/known_hosts of the task's user),
/// looked up with the target's `ssh-keygen -F` (<see cref="KnownHostsLookupFact"/>). A key of the same type for
/// the host is replaced in place of its line removed and the new one appended; hash_host hashes the host field
/// with a random salt. Result as Ansible's: name, key, path, hash_host, state, changed and diff {before_header,
/// after_header, before, after} (always in the result, as Ansible's); in check mode only changed and diff.
/// Failures: "No key specified when adding a host", "Comma separated list of names is not supported. ...",
/// "Host parameter does not match hashed host field in supplied key", "ssh-keygen failed (rc=N, stdout='...',stderr='...')".
/// </summary>
public sealed class KnownHostsModule : PlanningModule
{
    public override string Name => "known_hosts";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("name", Required: true, Aliases: new[] { "host" }),
        new OptionSpec("key"),
        new OptionSpec("path", OptionType.Path, Default: "~/.ssh/known_hosts"),
        new OptionSpec("hash_host", OptionType.Bool, Default: false),
        new OptionSpec("state", Default: "present", Choices: new[] { "absent", "present" }));

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var host = a.Str("name")!.ToLowerInvariant();
        var key = a.Str("key") is { Length: > 0 } k ? k : null;
        var state = a.Str("state")!;
        if (key is null && state != "absent") return Plan.Fail("No key specified when adding a host");
        if (key is not null && a.Bool("hash_host")) key = HashHost(host, key);
        if (key is not null && !key.EndsWith('\n')) key += "\n";
        var path = await HomeFact.ExpandUserAsync(ctx, a.Str("path")!, ct);
        var result = new Dict { ["name"] = a.Str("name"), ["key"] = a.Get("key"), ["path"] = path, ["hash_host"] = a.Bool("hash_host"), ["state"] = state };

        if (key is not null && Regex.IsMatch(host, @"\S+(\s+)?,(\s+)?"))
            return Plan.Fail("Comma separated list of names is not supported. Please pass a single name to lookup in the known_hosts file.");
        var inFile = KnownHostsLookupFact.InFile(host, path);
        var content = new FileContentFact(path);
        var sanity = key is null ? null : KnownHostsLookupFact.InText(host, key);
        await ctx.Facts.GetAsync(ct, sanity is null ? new Engine.Modules.Facts.Fact[] { inFile, content } : new Engine.Modules.Facts.Fact[] { sanity, inFile, content });
        if (sanity is not null && (await ctx.Facts.GetAsync(sanity, ct)).Stdout == "")
            return Plan.Fail("Host parameter does not match hashed host field in supplied key");

        var lookup = await ctx.Facts.GetAsync(inFile, ct);
        var (found, replace, line) = (false, false, (int?)null);
        if (lookup.Exists && !(lookup.Stdout == "" && lookup.Stderr == "" && lookup.Rc is 0 or 1))
        {
            if (lookup.Rc != 0) return Plan.Fail($"ssh-keygen failed (rc={lookup.Rc}, stdout='{lookup.Stdout}',stderr='{lookup.Stderr}')");
            (found, replace, line) = key is null ? (true, false, null) : Search(lookup.Stdout, key);
        }

        var bytes = await ctx.Facts.GetAsync(content, ct);
        var before = bytes is null ? "" : Encoding.UTF8.GetString(bytes);
        var lines = PyLines.Split(before, keepEnds: true, bytesOnly: true);
        if ((replace || state == "absent") && line is int n && n >= 1 && n <= lines.Count) lines.RemoveAt(n - 1);
        if (state == "present" && (replace || line is null)) lines.Add(key!);
        var diff = new Dict { ["before_header"] = bytes is null && !lookup.Exists ? "/dev/null" : path, ["after_header"] = path, ["before"] = before, ["after"] = string.Concat(lines) };
        result["diff"] = diff;
        var plan = new Plan { Result = result, Diff = diff };
        if (state == "absent" && line is null && key is not null) return plan;
        plan.CheckModeResult = new Dict { ["diff"] = diff };
        if (found && key is null && state == "absent")
            plan.Add(new RunStep(Engine.Modules.Argv.Of("ssh-keygen", "-R", host, "-f", path)));
        else if (replace || found != (state == "present"))
            plan.Add(new PutFileStep(path, Encoding.UTF8.GetBytes(string.Concat(lines))) { Creates = new Planned.File(path) });
        return plan;
    }

    /// <summary>Ansible's search_for_host_key over ssh-keygen -F's output: (found, replace_or_add, found_line).</summary>
    private static (bool, bool, int?) Search(string stdout, string key)
    {
        var want = Normalize(key);
        int? line = null;
        foreach (var l in stdout.Split('\n'))
        {
            if (l.Length == 0) continue;
            if (l[0] == '#')
            {
                if (Regex.Match(l, @"found: line (\d+)") is { Success: true } m) line = int.Parse(m.Groups[1].Value);
                continue;
            }
            var got = Normalize(l);
            if (want.Host.StartsWith("|1|") && got.Host.StartsWith("|1|")) want = want with { Host = got.Host };
            if (want == got) return (true, false, line);
            if (want.Type == got.Type) return (true, true, line);
        }
        return (true, true, null);
    }

    private sealed record HostKey(string? Marker, string Host, string Type, string Key);

    private static HostKey Normalize(string line)
    {
        var k = line.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        string At(int i) => i < k.Length ? k[i] : "";
        return k.Length > 0 && k[0].StartsWith('@') ? new HostKey(k[0], At(1), At(2), At(3)) : new HostKey(null, At(0), At(1), At(2));
    }

    /// <summary>The key line with its host field replaced by "|1|SALT|HMAC-SHA1(SALT, host)" (base64), a random 20-byte salt.</summary>
    private static string HashHost(string host, string key)
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        var hash = HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(host));
        var parts = key.Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var i = parts[0].StartsWith('@') ? 1 : 0;
        parts[i] = $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hash)}";
        return string.Join(' ', parts);
    }
}
