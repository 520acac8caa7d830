using k8s;
using Runner.Engine.Values;
using Runner.Modules.Cloud.Common;
using Runner.Modules.Common;

namespace Runner.Modules.Cloud.Kubernetes;

/// <summary>
/// Readiness rules for k8s wait (as kubernetes.core's waiter): Job Complete (or Failed), Pod Ready, Deployment /
/// StatefulSet / ReplicaSet with all replicas available, DaemonSet with all scheduled pods available, anything else
/// once it exists; an explicit wait_condition {type, status ("True"), reason} checks status.conditions instead.
/// </summary>
public static class K8sWait
{
    public enum Verdict { Pending, Done, Failed }

    /// <summary>Where <paramref name="obj"/> stands.</summary>
    public static Verdict Check(string kind, Dict obj, Dict? condition)
    {
        var status = obj.Get("status") as Dict ?? new Dict();
        var conds = ((status.Get("conditions") as List<object?>) ?? new()).OfType<Dict>().ToList();
        bool Has(string t, string s = "True") => conds.Any(c => c.Get("type") as string == t && c.Get("status") as string == s);
        if (kind == "Job" && Has("Failed")) return Verdict.Failed;
        if (condition is not null)
        {
            var t = condition.Get("type") as string;
            var s = condition.Get("status") is { } sv ? PyStr.Str(sv) : "True";
            var reason = condition.Get("reason") as string;
            return conds.Any(c => c.Get("type") as string == t && c.Get("status") as string == s && (reason is null || c.Get("reason") as string == reason))
                ? Verdict.Done : Verdict.Pending;
        }
        long N(string key) => status.Get(key) is long l ? l : 0;
        long Spec(string key, long dflt) => (obj.Get("spec") as Dict)?.Get(key) is long l ? l : dflt;
        return kind switch
        {
            "Job" => Has("Complete") ? Verdict.Done : Verdict.Pending,
            "Pod" => Has("Ready") || status.Get("phase") as string == "Succeeded" ? Verdict.Done
                : status.Get("phase") as string == "Failed" ? Verdict.Failed : Verdict.Pending,
            "Deployment" or "StatefulSet" or "ReplicaSet" => N("readyReplicas") >= Spec("replicas", 1) &&
                (kind != "Deployment" || (N("availableReplicas") >= Spec("replicas", 1) && N("updatedReplicas") >= Spec("replicas", 1)))
                ? Verdict.Done : Verdict.Pending,
            "DaemonSet" => N("desiredNumberScheduled") > 0 && N("numberAvailable") >= N("desiredNumberScheduled") ? Verdict.Done : Verdict.Pending,
            _ => Verdict.Done,
        };
    }

    /// <summary>
    /// Polls the object (GET every wait_sleep seconds of <paramref name="args"/>, 5) until <see cref="Check"/> says done
    /// or failed, or wait_timeout seconds (120) have passed. Returns the last object seen (null when it never appeared)
    /// and null, or the error: "KIND [NS/]NAME failed: REASON" (a Job's with its pods' last log_lines log lines), or
    /// "Timed out after Ns waiting for KIND [NS/]NAME to be ready" (or "to reach condition TYPE=STATUS").
    /// </summary>
    public static async Task<(Dict? Object, string? Error)> UntilReadyAsync(K8sApi api, K8sResourceType type, string? ns, string name, Dict args, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(args.Long("wait_timeout", 120));
        var sleep = TimeSpan.FromSeconds(Math.Max(0, args.Long("wait_sleep", 5)));
        var cond = args.Get("wait_condition") as Dict;
        var label = $"{type.Kind} {(ns is null ? "" : ns + "/")}{name}";
        while (true)
        {
            var obj = await api.GetAsync(type, ns, name, ct);
            if (obj is not null)
            {
                var verdict = Check(type.Kind, obj, cond);
                if (verdict == Verdict.Done) return (obj, null);
                if (verdict == Verdict.Failed)
                {
                    var logs = type.Kind == "Job" ? await JobPodLogsAsync(api, ns!, name, (int)args.Long("log_lines", 20), ct) : "";
                    return (obj, $"{label} failed: {FailureReason(obj)}{logs}");
                }
            }
            if (DateTime.UtcNow >= deadline)
                return (obj, $"Timed out after {args.Long("wait_timeout", 120)}s waiting for {label}" +
                    (cond is not null ? $" to reach condition {cond.Get("type")}={cond.Get("status") ?? "True"}" : " to be ready"));
            await Task.Delay(sleep, ct);
        }
    }

    /// <summary>"Reason: message" of a Failed condition (or "unknown reason").</summary>
    public static string FailureReason(Dict obj)
    {
        var c = (((obj.Get("status") as Dict)?.Get("conditions") as List<object?>) ?? new()).OfType<Dict>()
            .FirstOrDefault(x => x.Get("type") as string == "Failed" && x.Get("status") as string == "True");
        return c is null ? "unknown reason" : $"{c.Get("reason")}: {c.Get("message")}";
    }

    /// <summary>The last <paramref name="lines"/> log lines of each pod of the Job (label job-name=NAME), via KubernetesClient's CoreV1 API.</summary>
    public static async Task<string> JobPodLogsAsync(K8sApi api, string ns, string job, int lines, CancellationToken ct)
    {
        var text = new System.Text.StringBuilder();
        try
        {
            var pods = await api.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "job-name=" + job, cancellationToken: ct);
            foreach (var pod in pods.Items)
            {
                await using var stream = await api.Client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, ns, tailLines: lines, cancellationToken: ct);
                var log = (await new StreamReader(stream).ReadToEndAsync(ct)).TrimEnd('\n');
                text.Append($"\n--- last log lines of pod {pod.Metadata.Name} ---\n").Append(log);
            }
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
        {
            text.Append($"\n(could not read the Job's pod logs: {e.Message})");
        }
        return text.ToString();
    }
}
