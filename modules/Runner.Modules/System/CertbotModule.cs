using Runner.Engine.Connections;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules.Sys;

/// <summary>
/// certbot: a module of Runner's own that drives the certbot CLI on the target (https://eff-certbot.readthedocs.io/en/stable/using.html).
/// state=present runs `certbot certonly` (webroot when webroot is given, else standalone) unless a certificate named
/// cert_name (default: the first domain) already covers exactly `domains`, has the wanted key type and is valid for more
/// than renew_before_days (default 30) days; force_renewal always orders. state=absent runs `certbot delete`.
/// Options: domains, email, agree_tos, server (ACME directory URL), staging, cert_name, key_type rsa/ecdsa,
/// rsa_key_size, elliptic_curve, expand, force_renewal, webroot, authenticator, config_dir, renew_before_days, extra_args.
/// Result: changed, cert_name, domains, action ("issued", "renewed", "deleted" or "none"), and while the certificate
/// exists fullchain, privkey, cert, chain (paths), expiry (ISO 8601 UTC) and days_left; check mode reports the action
/// without running it. Errors: "certbot is not installed on HOST", certbot's own message (last lines) on failure.
/// </summary>
public sealed class CertbotModule : IModule
{
    public string Name => "certbot";

    public ModuleSpec Spec { get; } = ModuleSpec.Of(
        new OptionSpec("domains", OptionType.List, Elements: OptionType.Str, Aliases: new[] { "domain" }),
        new OptionSpec("state", Default: "present", Choices: new[] { "absent", "present" }),
        new OptionSpec("email"),
        new OptionSpec("agree_tos", OptionType.Bool, Default: false),
        new OptionSpec("server"),
        new OptionSpec("staging", OptionType.Bool, Default: false),
        new OptionSpec("cert_name"),
        new OptionSpec("authenticator", Choices: new[] { "standalone", "webroot" }),
        new OptionSpec("webroot", OptionType.Path, Aliases: new[] { "webroot_path" }),
        new OptionSpec("key_type", Choices: new[] { "ecdsa", "rsa" }),
        new OptionSpec("rsa_key_size", OptionType.Int),
        new OptionSpec("elliptic_curve", Choices: new[] { "secp256r1", "secp384r1", "secp521r1" }),
        new OptionSpec("expand", OptionType.Bool, Default: false),
        new OptionSpec("force_renewal", OptionType.Bool, Default: false),
        new OptionSpec("renew_before_days", OptionType.Int, Default: 30L),
        new OptionSpec("config_dir", OptionType.Path, Default: "/etc/letsencrypt"),
        new OptionSpec("extra_args", OptionType.List, Default: new List<object?>(), Elements: OptionType.Str));

    public async Task<Dict> RunAsync(ModuleContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var domains = a.StrList("domains").Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0).ToList();
        var state = a.Str("state")!;
        var name = a.Str("cert_name") ?? domains.FirstOrDefault();
        if (name is null) return Results.Fail("cert_name or domains is required");
        if (state == "present" && domains.Count == 0) return Results.Fail("domains is required when state=present");
        var configDir = a.Str("config_dir")!;
        var cfg = new List<string> { "--config-dir", configDir };
        var result = new Dict { ["cert_name"] = name, ["domains"] = domains.Cast<object?>().ToList() };

        var probe = await ctx.ShAsync($"command -v certbot >/dev/null || {{ echo no-certbot; exit 0; }}; " +
            $"certbot certificates --cert-name {ShellQuote.Quote(name)} {ShellQuote.Join(cfg)} 2>&1", ct);
        if (probe.Stdout.Trim() == "no-certbot") return Results.Fail($"certbot is not installed on {ctx.Host}", result);
        var current = CertbotState.Parse(probe.Stdout).FirstOrDefault(c => c.Name == name);
        var now = DateTimeOffset.UtcNow;

        if (state == "absent")
        {
            if (current is null) return Done(result, false, "none", null, configDir);
            if (!ctx.CheckMode)
            {
                var r = await ctx.ShAsync($"certbot delete --non-interactive --cert-name {ShellQuote.Quote(name)} {ShellQuote.Join(cfg)}", ct);
                if (r.ExitCode != 0) return Results.Fail("certbot delete failed: " + TargetScript.Tail(r.Stderr + r.Stdout, 6), result);
            }
            return Done(result, true, "deleted", null, configDir);
        }

        var reason = Reason(a, current, domains, now);
        if (reason is null) return Done(result, false, "none", current, configDir);
        result["reason"] = reason;
        var action = current is null ? "issued" : "renewed";
        if (ctx.CheckMode) return Done(result, true, action, current, configDir);

        var w = new List<string> { "certbot", "certonly", "--non-interactive", "--keep-until-expiring", "--cert-name", name };
        w.AddRange(cfg);
        foreach (var d in domains) { w.Add("-d"); w.Add(d); }
        var auth = a.Str("authenticator") ?? (a.Has("webroot") ? "webroot" : "standalone");
        if (auth == "webroot")
        {
            if (!a.Has("webroot")) return Results.Fail("webroot is required with authenticator=webroot", result);
            w.Add("--webroot"); w.Add("-w"); w.Add(a.Str("webroot")!);
        }
        else w.Add("--standalone");
        if (a.Has("email")) { w.Add("-m"); w.Add(a.Str("email")!); } else w.Add("--register-unsafely-without-email");
        if (a.Bool("agree_tos")) w.Add("--agree-tos");
        if (a.Has("server")) { w.Add("--server"); w.Add(a.Str("server")!); }
        if (a.Bool("staging")) w.Add("--staging");
        if (a.Has("key_type")) { w.Add("--key-type"); w.Add(a.Str("key_type")!); }
        if (a.Has("rsa_key_size")) { w.Add("--rsa-key-size"); w.Add(a.Long("rsa_key_size").ToString()); }
        if (a.Has("elliptic_curve")) { w.Add("--elliptic-curve"); w.Add(a.Str("elliptic_curve")!); }
        if (a.Bool("expand")) w.Add("--expand");
        // we decided a new certificate is needed: make certbot order one even when its own renewal window differs
        if (current is not null) w.Add("--force-renewal");
        w.AddRange(a.StrList("extra_args"));
        var run = await ctx.ShAsync(ShellQuote.Join(w) + " </dev/null", ct);
        result["cmd"] = ShellQuote.Join(w);
        result["stdout"] = run.Stdout;
        result["stderr"] = run.Stderr;
        if (run.ExitCode != 0)
        {
            result["rc"] = (long)run.ExitCode;
            return Results.Fail("certbot certonly failed: " + TargetScript.Tail(run.Stderr + "\n" + run.Stdout, 8), result);
        }
        var after = CertbotState.Parse((await ctx.ShAsync(
            $"certbot certificates --cert-name {ShellQuote.Quote(name)} {ShellQuote.Join(cfg)} 2>&1", ct)).Stdout).FirstOrDefault(c => c.Name == name);
        return Done(result, true, action, after, configDir);
    }

    /// <summary>Why a new certificate is needed (null when the current one is fine): missing, forced, other names, key type, expiry.</summary>
    internal static string? Reason(Dict a, CertbotCertificate? current, List<string> domains, DateTimeOffset now)
    {
        if (current is null) return "no certificate";
        if (a.Bool("force_renewal")) return "force_renewal";
        var have = current.Domains.Select(d => d.ToLowerInvariant()).ToHashSet();
        if (!have.SetEquals(domains)) return "domains differ";
        if (a.Str("key_type") is { } kt && current.KeyType.Length > 0 && !current.KeyType.Equals(kt, StringComparison.OrdinalIgnoreCase))
            return "key type differs";
        if (current.Expiry is null) return "expiry unknown";
        if (current.Expiry.Value - now <= TimeSpan.FromDays(a.Long("renew_before_days", 30))) return "due for renewal";
        return null;
    }

    private static Dict Done(Dict result, bool changed, string action, CertbotCertificate? cert, string configDir)
    {
        result["changed"] = changed;
        result["action"] = action;
        if (cert is not null && action != "deleted")
        {
            var live = $"{configDir.TrimEnd('/')}/live/{cert.Name}";
            result["fullchain"] = live + "/fullchain.pem";
            result["privkey"] = live + "/privkey.pem";
            result["cert"] = live + "/cert.pem";
            result["chain"] = live + "/chain.pem";
            if (cert.Expiry is { } e)
            {
                result["expiry"] = e.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
                result["days_left"] = (long)Math.Floor((e - DateTimeOffset.UtcNow).TotalDays);
            }
        }
        return result;
    }
}
