using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;
using Runner.Modules.Facts;

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
/// without running it. The lineage is read with `certbot certificates` (<see cref="CertbotCertificateFact"/>), again
/// after an order. Errors: "certbot is not installed on HOST", certbot's own message (last lines) on failure.
/// </summary>
public sealed class CertbotModule : PlanningModule
{
    public override string Name => "certbot";

    public override ModuleSpec Spec { get; } = ModuleSpec.Of(
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

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var domains = a.StrList("domains").Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0).ToList();
        var state = a.Str("state")!;
        var name = a.Str("cert_name") ?? domains.FirstOrDefault();
        if (name is null) return Plan.Fail("cert_name or domains is required");
        if (state == "present" && domains.Count == 0) return Plan.Fail("domains is required when state=present");
        var configDir = a.Str("config_dir")!;
        var cfg = new[] { "--config-dir", configDir };
        var result = new Dict { ["cert_name"] = name, ["domains"] = domains.Cast<object?>().ToList() };

        var lineage = await ctx.Facts.GetAsync(new CertbotCertificateFact(name, configDir), ct);
        if (!lineage.Installed) return Plan.Fail($"certbot is not installed on {ctx.Host}", result);
        var current = lineage.Certificate;

        if (state == "absent")
        {
            if (current is null) return Plan.Ok(Done(result, "none", null, configDir));
            // the action is reported once the delete did not fail
            var delete = new Plan { Result = result, Then = (_, _) => Task.FromResult(Plan.Ok(new Dict { ["action"] = "deleted" })) };
            return delete.Add(new RunStep(
                Argv.Of("certbot", "delete", "--non-interactive", "--cert-name", name).Add(cfg))
            {
                OnFailure = r => Plan.CommandFailed(r, "certbot delete failed: " + TargetScript.Tail(r.Stderr + r.Stdout, 6)),
            });
        }

        var reason = Reason(a, current, domains, DateTimeOffset.UtcNow);
        if (reason is null) return Plan.Ok(Done(result, "none", current, configDir));
        result["reason"] = reason;
        var action = current is null ? "issued" : "renewed";
        var auth = a.Str("authenticator") ?? (a.Has("webroot") ? "webroot" : "standalone");
        if (auth == "webroot" && !a.Has("webroot")) return Plan.Fail("webroot is required with authenticator=webroot", result);

        var w = Argv.Of("certbot", "certonly", "--non-interactive", "--keep-until-expiring", "--cert-name", name).Add(cfg);
        foreach (var d in domains) w = w.Add("-d", d);
        w = auth == "webroot" ? w.Add("--webroot", "-w", a.Str("webroot")!) : w.Add("--standalone");
        w = a.Has("email") ? w.Add("-m", a.Str("email")!) : w.Add("--register-unsafely-without-email");
        w = w.AddIf(a.Bool("agree_tos"), "--agree-tos");
        if (a.Has("server")) w = w.Add("--server", a.Str("server")!);
        w = w.AddIf(a.Bool("staging"), "--staging");
        if (a.Has("key_type")) w = w.Add("--key-type", a.Str("key_type")!);
        if (a.Has("rsa_key_size")) w = w.Add("--rsa-key-size", a.Long("rsa_key_size").ToString());
        if (a.Has("elliptic_curve")) w = w.Add("--elliptic-curve", a.Str("elliptic_curve")!);
        w = w.AddIf(a.Bool("expand"), "--expand");
        // we decided a new certificate is needed: make certbot order one even when its own renewal window differs
        w = w.AddIf(current is not null, "--force-renewal").Add(a.StrList("extra_args"));
        var cmd = w.ToString();
        var plan = new Plan { Result = result }.Add(new RunStep(cmd + " </dev/null")
        {
            OnFailure = r => Plan.CommandFailed(r, "certbot certonly failed: " + TargetScript.Tail(r.Stderr + "\n" + r.Stdout, 8), new Dict { ["cmd"] = cmd }),
        });
        plan.Then = async (outcomes, token) =>
        {
            // not run (check mode): the certificate as it is now
            if (outcomes[0] is not { Ran: true, Result: { } run }) return Plan.Ok(Done(new Dict(), action, current, configDir));
            var after = (await ctx.Facts.GetAsync(new CertbotCertificateFact(name, configDir), token)).Certificate;
            return Plan.Ok(Done(new Dict { ["cmd"] = cmd, ["stdout"] = run.Stdout, ["stderr"] = run.Stderr }, action, after, configDir));
        };
        return plan;
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

    /// <summary><paramref name="result"/> with the action and, while <paramref name="cert"/> exists (not deleted), its paths, expiry and days left.</summary>
    private static Dict Done(Dict result, string action, CertbotCertificate? cert, string configDir)
    {
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
