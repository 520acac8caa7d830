using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Common;
using Runner.Modules.Common;

namespace Runner.Modules.Cloud.Cloudflare;

/// <summary>
/// cloudflare_dns (community.general.cloudflare_dns, https://docs.ansible.com/ansible/latest/collections/community/general/cloudflare_dns_module.html):
/// keeps DNS records of type A, AAAA, CNAME, TXT or MX in a zone found by name. record "@" is the zone apex; a
/// record not ending with the zone gets ".zone" appended. present: a record with the same value is updated only when
/// ttl, proxied or priority differ, else left alone; a CNAME is updated in place; solo removes the other records
/// of that name and type. absent: deletes records of that name and type (only those with the value when given).
/// api_token defaults to CLOUDFLARE_API_TOKEN; the API root to CLOUDFLARE_API_BASE_URL or the public one.
/// Returns result.record (the API's record object) and, in diff mode, diff {before, after} with the records of that
/// name and type ({"records": [...]}). Zone and records are read while planning; each change is a <see cref="CallStep"/>.
/// </summary>
public sealed class CloudflareDnsModule : PlanningModule
{
    public override string Name => "cloudflare_dns";

    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("zone", Required: true, Aliases: new[] { "domain" }), new("record", Default: "@", Aliases: new[] { "name" }),
        new("type", Choices: new[] { "A", "AAAA", "CNAME", "TXT", "MX" }), new("value", Aliases: new[] { "content" }),
        new("ttl", OptionType.Int, Default: 1L), new("proxied", OptionType.Bool, Default: false),
        new("priority", OptionType.Int, Default: 1L), new("solo", OptionType.Bool),
        new("state", Default: "present", Choices: new[] { "present", "absent" }),
        new("api_token", NoLog: true), new("account_email"), new("account_api_key", NoLog: true, Aliases: new[] { "account_api_token" }),
        new("timeout", OptionType.Int, Default: 30L),
    }, RunsOnController: true) { NeedsConnection = false };

    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        var zone = a.Str("zone")!.TrimEnd('.').ToLowerInvariant();
        var record = a.Str("record")!.TrimEnd('.').ToLowerInvariant();
        var fqdn = record == "@" || record == zone ? zone : record.EndsWith("." + zone, StringComparison.Ordinal) ? record : record + "." + zone;
        var type = a.Str("type");
        var value = a.Str("value");
        var present = a.Str("state") == "present";
        if (type is null) return Plan.Fail("state is present but all of the following are missing: type");
        if (present && value is null) return Plan.Fail("state is present but all of the following are missing: value");
        var token = a.Str("api_token") ?? CloudEnv.Get(ctx.Environment, "CLOUDFLARE_API_TOKEN");
        if (token is null && (a.Str("account_email") is null || a.Str("account_api_key") is null))
            return Plan.Fail("Either api_token (or CLOUDFLARE_API_TOKEN) or account_email and account_api_key are required");
        if (type == "AAAA" && value is not null && System.Net.IPAddress.TryParse(value, out var ip6)) value = ip6.ToString();

        var cf = new CloudflareClient(CloudHttp.For(true), CloudEnv.Get(ctx.Environment, "CLOUDFLARE_API_BASE_URL") ?? CloudflareClient.DefaultBaseUrl,
            token, a.Str("account_email"), a.Str("account_api_key"));
        var failure = (CloudApiException e) => $"Unable to {(present ? "ensure" : "remove")} {type} record {fqdn} in zone {zone}: API error {e.Code}: {e.Message}";
        try
        {
            var zoneId = await cf.FindZoneIdAsync(zone, ct);
            if (zoneId is null) return Plan.Fail($"No zone found with name {zone}");
            var existing = await cf.ListRecordsAsync(zoneId, type, fqdn, ct);
            CallStep Delete(Dict r) => CloudSteps.Call("DELETE dns_records/" + r["id"], failure, t => cf.DeleteRecordAsync(zoneId, (string)r["id"]!, t));

            if (!present)
            {
                var doomed = existing.Where(r => value is null || SameValue(type, r.Get("content") as string, value)).ToList();
                var remove = new Plan { Diff = doomed.Count == 0 ? null : CloudSteps.Diff(Summary(existing), Summary(existing.Except(doomed).ToList())) };
                foreach (var r in doomed) remove.Add(Delete(r));
                return remove;
            }

            var desired = new Dict { ["type"] = type, ["name"] = fqdn, ["content"] = value, ["ttl"] = a.Long("ttl", 1) };
            if (type is "A" or "AAAA" or "CNAME") desired["proxied"] = a.Bool("proxied");
            if (type == "MX") desired["priority"] = a.Long("priority", 1);

            var match = existing.FirstOrDefault(r => SameValue(type, r.Get("content") as string, value!));
            var others = existing.Where(r => !ReferenceEquals(r, match)).ToList();
            var toDelete = a.Bool("solo") ? others : new List<Dict>();
            Dict? toUpdate = null;
            if (match is not null && !Matches(match, desired)) toUpdate = match;
            if (match is null && type == "CNAME" && others.Count > 0)
            {
                toUpdate = others[0];
                toDelete = toDelete.Where(r => !ReferenceEquals(r, toUpdate)).ToList();
            }
            var create = match is null && toUpdate is null;
            if (!create && toUpdate is null && toDelete.Count == 0) return Plan.Ok(new Dict { ["result"] = new Dict { ["record"] = match } });

            // the record as the API returns it after the change; in check mode (nothing ran) the desired one
            Dict? after = null;
            var plan = new Plan { Result = new Dict { ["result"] = new Dict { ["record"] = new Dict(desired) } } };
            foreach (var r in toDelete) plan.Add(Delete(r));
            plan.Add(toUpdate is not null
                ? CloudSteps.Call("PUT dns_records/" + toUpdate["id"], failure, async t =>
                    new Dict { ["result"] = new Dict { ["record"] = after = await cf.UpdateRecordAsync(zoneId, (string)toUpdate["id"]!, desired, t) } })
                : CloudSteps.Call("POST dns_records " + fqdn, failure, async t =>
                    new Dict { ["result"] = new Dict { ["record"] = after = await cf.CreateRecordAsync(zoneId, desired, t) } }));
            plan.Then = (_, _) =>
            {
                var afterState = existing.Where(r => !toDelete.Contains(r) && !ReferenceEquals(r, toUpdate)).Append(after ?? new Dict(desired)).ToList();
                return Task.FromResult(new Plan { Diff = CloudSteps.Diff(Summary(existing), Summary(afterState)) });
            };
            return plan;
        }
        catch (CloudApiException e)
        {
            return Plan.Fail(failure(e));
        }
    }

    private static bool SameValue(string type, string? current, string wanted)
    {
        if (current is null) return false;
        if (type == "TXT") return current.Trim('"') == wanted.Trim('"');
        if (type is "CNAME" or "MX") return string.Equals(current.TrimEnd('.'), wanted.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
        return current == wanted;
    }

    private static bool Matches(Dict current, Dict desired) =>
        desired.Where(kv => kv.Key is "ttl" or "proxied" or "priority").All(kv => Compare.DeepEquals(current.Get(kv.Key), kv.Value));

    private static Dict Summary(List<Dict> records) => new()
    {
        ["records"] = records.Select(r => (object?)new Dict(r.Where(kv => kv.Key is "type" or "name" or "content" or "ttl" or "proxied" or "priority"))).ToList(),
    };
}
