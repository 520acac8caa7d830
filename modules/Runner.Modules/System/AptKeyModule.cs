using System.Globalization;
using System.Text;
using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;
using Runner.Modules.Sys.Http;

namespace Runner.Modules.Sys;

/// <summary>
/// ansible.builtin.apt_key (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/apt_key_module.html), as
/// ansible-core 2.14's modules/apt_key.py: the target's apt-key and gpg do the work. Without id the key id is read with
/// `gpg --with-colons` from file (on the target), data, or the key downloaded from url (with the target's curl, else
/// by the controller; in check mode too, as Ansible downloads then); id is checked as Ansible's parse_key_id (8, 16 or
/// more hex digits, optional 0x). The keys are listed with `apt-key [--keyring K] adv --list-public-keys
/// --keyid-format=long` (pub and sub lines, expired ones left out; 8-digit ids compare by their short form). A missing
/// key is added with `apt-key add FILE`, `apt-key add -` (data or the downloaded url) or `apt-key adv --no-tty
/// --keyserver KS --recv ID` (5 attempts; the target reaches the key server), then the list is read again to check it;
/// state=absent deletes by the short id (`apt-key del`). Result: changed, id, short_id, fp, key_id, before, and after
/// when a change ran. Failures with Ansible's messages and fields ("Invalid key_id", "Unable to extract key from ...",
/// "Failed to download key at URL: ...", "Unable to list public keys", "Missing key_id, required with keyserver.", ...).
/// </summary>
public sealed class AptKeyModule : PlanningModule
{
    private const string Locale = "C.utf8";
    private const string NoError = "apt-key did not return an error, but {0} (check that the id is correct and *not* a subkey)";

    public override string Name => "apt_key";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("id"), new("url"), new("data"), new("file", OptionType.Path), new("keyring", OptionType.Path),
        new("validate_certs", OptionType.Bool, Default: true), new("keyserver"),
        new("state", Default: "present", Choices: new[] { "absent", "present" }),
    })
    {
        MutuallyExclusive = new[] { new[] { "data", "file", "keyserver", "url" } },
    };

    private static Dict Env => new() { ["LANG"] = Locale, ["LC_ALL"] = Locale, ["LC_MESSAGES"] = Locale };

    private static string EnvPrefix => $"LANG={Locale} LC_ALL={Locale} LC_MESSAGES={Locale} ";

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var (keyId, url, data, file, keyring, keyserver) = (a.Str("id"), a.Str("url"), a.Str("data"), a.Str("file"), a.Str("keyring"), a.Str("keyserver"));
        var present = a.Str("state") == "present";
        ExecutableFact aptKeyFact = new("apt-key"), gpgFact = new("gpg");
        await ctx.Facts.GetAsync(ct, aptKeyFact, gpgFact);
        var aptKeyFound = await ctx.Facts.GetAsync(aptKeyFact, ct);
        if (aptKeyFound.Path is not { } aptKey) return Plan.Fail(aptKeyFound.Missing("apt-key"));
        var gpgFound = await ctx.Facts.GetAsync(gpgFact, ct);
        if (gpgFound.Path is not { } gpg) return Plan.Fail(gpgFound.Missing("gpg"));

        var r = new Dict { ["changed"] = false };
        byte[]? bytes = data is null ? null : Encoding.UTF8.GetBytes(data);
        if (string.IsNullOrEmpty(keyId))
        {
            if (!string.IsNullOrEmpty(keyserver)) return Plan.Fail("Missing key_id, required with keyserver.", r);
            if (!string.IsNullOrEmpty(url))
            {
                var (got, error) = await DownloadAsync(ctx, url, ct);
                if (error is not null) return Plan.Fail(error, r);
                bytes = got;
            }
            if (!string.IsNullOrEmpty(file))
            {
                var (id, failure) = await KeyIdAsync(ctx, gpg, file, null, r, ct);
                if (failure is not null) return failure;
                keyId = id;
            }
            else if (bytes is { Length: > 0 })
            {
                var (id, failure) = await KeyIdAsync(ctx, gpg, "-", bytes, r, ct);
                if (failure is not null) return failure;
                keyId = id;
            }
        }

        r["id"] = keyId;
        if (keyId is null) return Crash("TypeError: int() can't convert non-string with explicit base");
        if (ParseKeyId(keyId) is not { } parsed) return Plan.Fail("Invalid key_id", r);
        var (shortId, fingerprint, fullId) = parsed;
        r["short_id"] = shortId;
        r["fp"] = fingerprint;
        r["key_id"] = fullId;
        var shortFormat = fullId.Length == 8;

        var listCmd = keyring is null ? $"{aptKey} adv --list-public-keys --keyid-format=long" : $"{aptKey} --keyring {keyring} adv --list-public-keys --keyid-format=long";
        var listArgv = (keyring is null ? Argv.Of(aptKey) : Argv.Of(aptKey, "--keyring", keyring)).Add("adv", "--list-public-keys", "--keyid-format=long");
        var list = await ctx.Facts.GetAsync(new ScriptFact<CommandResult>("apt-key-list:" + keyring, listArgv.ToString(), o => o), ct);
        if (list.ExitCode != 0) return ListFailed(listCmd, list);
        var before = Keys(list.Stdout, shortFormat);
        r["before"] = before.Cast<object?>().ToList();
        bool Has(List<string> keys) => keys.Contains(shortFormat ? shortId : fingerprint);

        // the result fields come after the change: a failing apt-key reports only its own fields, as Ansible's fail_json there
        var plan = new Plan();
        string verify;
        if (present)
        {
            if (Has(before)) return Plan.Ok(r);
            verify = "failed to add the key";
            var ring = keyring is null ? Argv.Of(aptKey) : Argv.Of(aptKey, "--keyring", keyring);
            var ringCmd = keyring is null ? aptKey : $"{aptKey} --keyring {keyring}";
            if (!string.IsNullOrEmpty(file))
            {
                var cmd = $"{ringCmd} add {file}";
                plan.Add(new RunStep(ring.Add("add", file))
                {
                    OnFailure = f => Plan.Fail($"Unable to add a key from file {file}", new Dict
                        { ["cmd"] = cmd, ["rc"] = (long)f.ExitCode, ["keyfile"] = file, ["stdout"] = f.Stdout, ["stderr"] = f.Stderr }),
                });
            }
            else if (!string.IsNullOrEmpty(keyserver))
                plan.Add(ImportStep(ring, ringCmd, keyserver, fullId, ctx.Environment));
            else if (bytes is { Length: > 0 } || !string.IsNullOrEmpty(url))
            {
                if (bytes is not { Length: > 0 })
                {
                    // only here with id and url: Ansible downloads when it adds (not in check mode); Runner downloads while planning
                    var (got, error) = await DownloadAsync(ctx, url!, ct);
                    if (error is not null) return Plan.Fail(error, r);
                    bytes = got;
                }
                var cmd = $"{ringCmd} add -";
                plan.Add(new RunStep(ring.Add("add", "-"))
                {
                    Stdin = bytes,
                    OnFailure = f => Plan.Fail("Unable to add a key from binary data", new Dict
                        { ["cmd"] = cmd, ["rc"] = (long)f.ExitCode, ["stdout"] = f.Stdout, ["stderr"] = f.Stderr }),
                });
            }
            else return Plan.Fail("No key to add ... how did i get here?!?!", r);
        }
        else
        {
            if (!before.Contains(fingerprint)) return Plan.Ok(r);
            verify = "the key was not removed";
            var cmd = keyring is null ? $"{aptKey} del {shortId}" : $"{aptKey} --keyring {keyring} del {shortId}";
            plan.Add(new RunStep((keyring is null ? Argv.Of(aptKey) : Argv.Of(aptKey, "--keyring", keyring)).Add("del", shortId))
            {
                OnFailure = f => Plan.Fail($"Unable to remove a key with id {shortId}", new Dict
                    { ["cmd"] = cmd, ["rc"] = (long)f.ExitCode, ["key_id"] = shortId, ["stdout"] = f.Stdout, ["stderr"] = f.Stderr }),
            });
        }
        plan.Then = async (outcomes, token) =>
        {
            if (!outcomes[0].Ran) return Plan.Ok(r);
            var again = await ctx.Facts.GetAsync(new ScriptFact<CommandResult>("apt-key-list:" + keyring, listArgv.ToString(), o => o), token);
            if (again.ExitCode != 0) return ListFailed(listCmd, again);
            var after = Keys(again.Stdout, shortFormat);
            var result = new Dict(r) { ["after"] = after.Cast<object?>().ToList() };
            var ok = present ? Has(after) : !after.Contains(fingerprint);
            return ok ? Plan.Ok(result) : Plan.Fail(string.Format(CultureInfo.InvariantCulture, NoError, verify), result);
        };
        return plan;
    }

    /// <summary>import_key: `apt-key adv --no-tty --keyserver KS [--keyserver-options http-proxy=P] --recv ID`, 5 attempts.</summary>
    private static RunStep ImportStep(Argv ring, string ringCmd, string keyserver, string keyId, IReadOnlyDictionary<string, string>? env)
    {
        var proxy = new[] { "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy" }
            .Select(k => env?.GetValueOrDefault(k)).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        var argv = ring.Add("adv", "--no-tty", "--keyserver", keyserver);
        var cmd = $"{ringCmd} adv --no-tty --keyserver {keyserver}";
        if (proxy is not null) { argv = argv.Add("--keyserver-options", $"http-proxy={proxy}"); cmd += $" --keyserver-options http-proxy={proxy}"; }
        argv = argv.Add("--recv", keyId);
        cmd += $" --recv {keyId}";
        return new RunStep(EnvPrefix + argv)
        {
            Retry = new StepRetry(f => f.ExitCode != 0, 4, TimeSpan.Zero),
            OnFailure = f => f.ExitCode == 2 && f.Stdout.Contains("not found on keyserver")
                ? Plan.Fail($"Key {keyId} not found on keyserver {keyserver}", new Dict { ["cmd"] = cmd, ["forced_environment"] = Env })
                : Plan.Fail($"Error fetching key {keyId} from keyserver: {keyserver}", new Dict
                    { ["cmd"] = cmd, ["forced_environment"] = Env, ["rc"] = (long)f.ExitCode, ["stdout"] = f.Stdout, ["stderr"] = f.Stderr }),
        };
    }

    private static Plan ListFailed(string cmd, CommandResult f) => Plan.Fail("Unable to list public keys",
        new Dict { ["cmd"] = cmd, ["rc"] = (long)f.ExitCode, ["stdout"] = f.Stdout, ["stderr"] = f.Stderr });

    /// <summary>download_key: the body of GET <paramref name="url"/>, or Ansible's failure message.</summary>
    private static async Task<(byte[]? Body, string? Error)> DownloadAsync(PlanContext ctx, string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
            return (null, $"error getting key id from url: {url}");
        var tool = await ctx.Facts.GetAsync(new HttpToolFact(), ct);
        var reply = await PlanningFetch.GetAsync(ctx, tool, url, ctx.Args.Bool("validate_certs", true), ct);
        return reply.Status == 200 ? (reply.Body ?? Array.Empty<byte>(), null) : (null, $"Failed to download key at {url}: {PlanningFetch.Message(reply)}");
    }

    /// <summary>get_key_id_from_file: the first key of `gpg --with-colons FILE` (data on stdin for "-").</summary>
    private static async Task<(string? Id, Plan? Failure)> KeyIdAsync(PlanContext ctx, string gpg, string path, byte[]? data, Dict r, CancellationToken ct)
    {
        var run = EnvPrefix + Argv.Of(gpg, "--with-colons", path);
        var script = data is null ? run : $"printf '%s' {ShellQuote.Quote(Convert.ToBase64String(data))} | base64 -d | {run}";
        var key = "gpg-colons:" + (data is null ? path : Hashes.Sha1(data));
        var o = await ctx.Facts.GetAsync(new ScriptFact<CommandResult>(key, script, x => x), ct);
        if (o.ExitCode != 0)
            return (null, Plan.Fail($"Unable to extract key from '{(data is not null ? "inline data" : path)}'", new Dict(r) { ["stdout"] = o.Stdout, ["stderr"] = o.Stderr }));
        return (Keys(o.Stdout, false).FirstOrDefault(), null);
    }

    /// <summary>parse_output_for_keys: the key ids of pub and sub lines not expired (apt-key's "pub rsa4096/ID" or gpg's colon field 5).</summary>
    internal static List<string> Keys(string output, bool shortFormat)
    {
        var found = new List<string>();
        foreach (var line in output.Split('\n'))
        {
            if (!(line.StartsWith("pub", StringComparison.Ordinal) || line.StartsWith("sub", StringComparison.Ordinal)) || line.Contains("expired")) continue;
            var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length > 1 && tokens[1].Split('/') is [_, var code]) found.Add(code);
            else if (line.Split(':') is { Length: > 4 } colons) found.Add(colons[4]);
        }
        return shortFormat ? found.Select(k => k.Length > 8 ? k[^8..] : k).ToList() : found;
    }

    /// <summary>parse_key_id: (short id, fingerprint as apt-key lists it, key id) of a hex id of 8, 16 or more digits (optional 0x); null when invalid.</summary>
    internal static (string Short, string Fingerprint, string KeyId)? ParseKeyId(string id)
    {
        if (!IsPythonHex(id)) return null;
        var k = id.ToUpperInvariant();
        if (k.StartsWith("0X", StringComparison.Ordinal)) k = k[2..];
        if (k.Length != 8 && k.Length != 16 && k.Length <= 16) return null;
        return (k.Length > 8 ? k[^8..] : k, k.Length > 16 ? k[^16..] : k, k);
    }

    /// <summary>Whether Python's int(s, 16) accepts <paramref name="s"/>: optional whitespace, sign and 0x, hex digits with single underscores between.</summary>
    private static bool IsPythonHex(string s) =>
        System.Text.RegularExpressions.Regex.IsMatch(s, @"^\s*[+-]?(0[xX])?_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*\s*$") &&
        !System.Text.RegularExpressions.Regex.IsMatch(s, @"^\s*[+-]?_");

    /// <summary>What Ansible reports when its module dies of an exception: MODULE FAILURE, the error in module_stderr.</summary>
    private static Plan Crash(string error) => Plan.Fail("MODULE FAILURE\nSee stdout/stderr for the exact error",
        new Dict { ["module_stdout"] = "", ["module_stderr"] = $"Traceback (most recent call last):\n{error}\n", ["rc"] = 1L });
}
