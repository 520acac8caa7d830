using System.Text;
using Runner.Engine.Modules;
using Runner.Engine.Modules.Facts;
using Runner.Modules.Common;

namespace Runner.Modules.Sys.Http;

/// <summary>
/// A GET that a module needs while it plans, in check mode too (apt_key reads the key id of a downloaded key before it
/// can tell whether anything changes, as Ansible's module downloads it in check mode): made with the target's curl as
/// a probe (<see cref="CurlHop"/>'s script with its config as a here-document; the body file is removed again) or,
/// when the target has no curl, from the controller (<see cref="ControllerHop"/>). Redirects are followed as
/// fetch_url's default (urllib2) does (<see cref="RedirectPolicy"/>).
/// </summary>
internal static class PlanningFetch
{
    private const string ConfigEnd = "__RUNNER_CURL_CONFIG__";

    /// <summary>The final reply for GET <paramref name="url"/> (a failure reply with Ansible's message when none came).</summary>
    /// <param name="tool">The target's HTTP tool (<see cref="Facts.HttpToolFact"/>): "curl" runs there, else the controller asks.</param>
    public static Task<HttpReply> GetAsync(PlanContext ctx, string tool, string url, bool validateCerts, CancellationToken ct) =>
        SendAsync(ctx, tool, new HttpRequest("GET", url)
        {
            Headers = HttpRequest.Build("ansible-httpget", null, false, null, null, Array.Empty<KeyValuePair<string, string>>()),
            ValidateCerts = validateCerts, Timeout = 10,
        }, ct);

    /// <summary>
    /// The final reply for <paramref name="request"/> (GET or HEAD), redirects followed as <see cref="GetAsync"/> does.
    /// On the target the request's headers and credentials are part of the probe's script, which other users of the
    /// target can read while it runs: a caller sends none that are secret there (the controller path has no such limit).
    /// </summary>
    public static async Task<HttpReply> SendAsync(PlanContext ctx, string tool, HttpRequest request, CancellationToken ct)
    {
        var redirects = new RedirectPolicy("urllib2", request.Url);
        while (true)
        {
            var reply = tool == "curl" ? await OnTargetAsync(ctx, request, ct) : await ControllerHop.SendAsync(request, ct);
            var (next, error) = redirects.Next(request, reply);
            if (next is null) return error is null ? reply : reply with { Failure = error };
            request = next;
        }
    }

    private static async Task<HttpReply> OnTargetAsync(PlanContext ctx, HttpRequest request, CancellationToken ct)
    {
        var step = CurlHop.Step(request, null, keep: false, printBody: true, previous: null);
        var config = Encoding.UTF8.GetString(step.Stdin!).Replace("\n" + ConfigEnd, "\n" + ConfigEnd + "_");
        var script = $"{{ {step.Script}; }} <<'{ConfigEnd}'\n{config}{(config.EndsWith('\n') ? "" : "\n")}{ConfigEnd}\n";
        var fact = new ScriptFact<HttpReply>("http-get:" + Hashes.Sha1(Encoding.UTF8.GetBytes(script)), script, o => CurlHop.Parse(o, true).Reply);
        return await ctx.Facts.GetAsync(fact, ct);
    }

    /// <summary>fetch_url's info msg for a reply that is not a success: urllib's error text.</summary>
    public static string Message(HttpReply reply) => reply.Failure ?? $"HTTP Error {reply.Status}: {reply.Reason}";
}
