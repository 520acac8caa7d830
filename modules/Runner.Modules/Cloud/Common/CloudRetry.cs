using System.Net;
using Polly;
using Polly.Retry;

namespace Runner.Modules.Cloud.Common;

/// <summary>
/// Retries for cloud API calls with Polly: HTTP 429, 5xx, network failures, and replies that
/// <paramref name="isThrottle"/> recognises (IAM answers throttling with HTTP 400 and Code "Throttling").
/// Exponential backoff with jitter from <see cref="BaseDelay"/>, at most <see cref="MaxRetries"/> retries;
/// 4xx replies other than throttling (403 AccessDenied, 404, 409) are returned at once, never retried.
/// </summary>
public static class CloudRetry
{
    /// <summary>First retry delay (doubled each retry). Tests lower it.</summary>
    public static TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Retries after the first attempt.</summary>
    public static int MaxRetries { get; set; } = 4;

    /// <summary>
    /// Sends the request that <paramref name="makeRequest"/> builds (a new one per attempt, so signatures are fresh)
    /// and returns the last reply. The reply's content is buffered so it can be read after the throttle check.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, Func<Task<HttpRequestMessage>> makeRequest,
        CancellationToken ct, Func<HttpResponseMessage, string, bool>? isThrottle = null)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, MaxRetries),
                Delay = BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = async args =>
                {
                    if (args.Outcome.Exception is HttpRequestException) return true;
                    if (args.Outcome.Result is not { } r) return false;
                    var status = (int)r.StatusCode;
                    if (status == 429 || status >= 500) return true;
                    if (isThrottle is null) return false;
                    var body = await r.Content.ReadAsStringAsync(args.Context.CancellationToken);
                    return isThrottle(r, body);
                },
            })
            .Build();
        return await pipeline.ExecuteAsync(async token =>
        {
            using var req = await makeRequest();
            var resp = await http.SendAsync(req, token);
            await resp.Content.LoadIntoBufferAsync(token);
            return resp;
        }, ct);
    }

    /// <summary>Whether a status is worth retrying (429 or 5xx).</summary>
    public static bool IsTransient(HttpStatusCode code) => (int)code == 429 || (int)code >= 500;
}
