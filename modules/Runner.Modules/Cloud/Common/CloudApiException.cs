namespace Runner.Modules.Cloud.Common;

/// <summary>
/// An error reply from a cloud API: <see cref="Code"/> is the API's own error code (IAM "NoSuchEntity",
/// Cloudflare's numeric code as text, Kubernetes Status reason), <see cref="StatusCode"/> the HTTP status,
/// and the message is the API's message, unchanged.
/// </summary>
public sealed class CloudApiException : Exception
{
    public CloudApiException(int statusCode, string code, string message, string? operation = null) : base(message)
    {
        Operation = operation;
        StatusCode = statusCode;
        Code = code;
    }

    /// <summary>HTTP status of the reply (0 when no reply came).</summary>
    public int StatusCode { get; }

    /// <summary>The API's error code.</summary>
    public string Code { get; }

    /// <summary>The API operation that failed, e.g. "CreateRole" (null when not known).</summary>
    public string? Operation { get; }

    /// <summary>
    /// botocore's ClientError text when the operation is known ("An error occurred (AccessDenied) when calling the
    /// CreateRole operation: ..."), else "Code: message".
    /// </summary>
    public string Describe() => Operation is not null
        ? $"An error occurred ({Code}) when calling the {Operation} operation: {Message}"
        : string.IsNullOrEmpty(Code) ? Message : $"{Code}: {Message}";
}
