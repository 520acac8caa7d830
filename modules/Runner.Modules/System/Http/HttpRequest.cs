namespace Runner.Modules.Sys.Http;

/// <summary>
/// One HTTP request as Ansible's module_utils/urls.py Request.open builds it for uri, get_url and unarchive: the method
/// (upper case), the URL, the headers in the order sent (User-agent first, then If-Modified-Since or cache-control,
/// then the task's headers, which override), the body, and credentials answered to a 401 challenge
/// (<see cref="User"/>/<see cref="Password"/>; force_basic_auth puts them in an Authorization header instead).
/// <see cref="Timeout"/> is in seconds, for connecting and for each wait on the server (Python's socket timeout).
/// </summary>
internal sealed record HttpRequest(string Method, string Url)
{
    /// <summary>Request headers, name and value, as sent.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>The request body, or null for none.</summary>
    public byte[]? Body { get; init; }

    /// <summary>The user for a 401 challenge (Basic or Digest), or null.</summary>
    public string? User { get; init; }

    /// <summary>The password for <see cref="User"/>.</summary>
    public string? Password { get; init; }

    /// <summary>False: any server certificate is accepted (validate_certs=no).</summary>
    public bool ValidateCerts { get; init; } = true;

    /// <summary>Seconds to wait for a connection and for each read.</summary>
    public long Timeout { get; init; } = 30;

    /// <summary>The value of the header <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Header(string name) =>
        Headers.LastOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>
    /// The headers Ansible sends: User-agent (<paramref name="agent"/>), then If-Modified-Since for
    /// <paramref name="modifiedSince"/> (UTC, RFC 2822 with "GMT") or cache-control: no-cache for <paramref name="force"/>,
    /// then the task's <paramref name="headers"/>, then with force_basic_auth (<paramref name="basicUser"/>) an
    /// Authorization header; a later header replaces an earlier one of the same name (case-insensitive), keeping the
    /// earlier one's place.
    /// </summary>
    public static List<KeyValuePair<string, string>> Build(string agent, DateTime? modifiedSince, bool force,
        string? basicUser, string? basicPassword, IEnumerable<KeyValuePair<string, string>> headers)
    {
        var list = new List<KeyValuePair<string, string>>();
        void Set(string name, string value)
        {
            var i = list.FindIndex(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
            if (i >= 0) list[i] = new(list[i].Key, value);
            else list.Add(new(name, value));
        }
        if (agent.Length > 0) Set("User-agent", agent);
        if (force) Set("cache-control", "no-cache");
        else if (modifiedSince is { } t) Set("If-Modified-Since", t.ToString("ddd, dd MMM yyyy HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " GMT");
        foreach (var (k, v) in headers) Set(k, v);
        if (basicUser is not null)
            Set("Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(basicUser + ":" + (basicPassword ?? ""))));
        return list;
    }
}

/// <summary>
/// One HTTP response (no redirect followed): status and reason phrase, headers in the order received, and the body
/// (null when it stays in a file on the target). A request that got no response has status -1 and
/// <see cref="Failure"/>, Ansible's message for it ("Request failed: &lt;urlopen error [Errno 111] Connection refused&gt;").
/// </summary>
internal sealed record HttpReply(int Status, string Reason, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body, string? Failure = null)
{
    /// <summary>The last value of the header <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Header(string name) =>
        Headers.LastOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>A reply for a request that got no response.</summary>
    public static HttpReply Failed(string message) => new(-1, "", Array.Empty<KeyValuePair<string, string>>(), null, message);
}
