using Runner.Engine.Values;
using Runner.Engine.Modules;
using Runner.Modules.Cloud.Common;
using Runner.Modules.Common;

namespace Runner.Modules.Cloud.Aws;

/// <summary>
/// Credentials, region and endpoint for one AWS call, resolved like botocore's default chain
/// (https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html): module options
/// (access_key, secret_key, session_token, profile, region, endpoint_url) first, then the environment
/// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, AWS_REGION, AWS_DEFAULT_REGION),
/// then the shared credentials file (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials) and config file
/// (AWS_CONFIG_FILE or ~/.aws/config, sections "[profile NAME]" and "[default]").
/// Endpoints: endpoint_url, then AWS_ENDPOINT_URL_{SERVICE} (e.g. AWS_ENDPOINT_URL_IAM), then AWS_ENDPOINT_URL,
/// then the public endpoint. SSO, process credentials and instance metadata are not supported.
/// </summary>
public sealed record AwsSettings(string AccessKey, string SecretKey, string? SessionToken, string? Region, string? Profile,
    Func<string, string?> EndpointFor)
{
    /// <summary>The common AWS module options (amazon.aws module_utils "aws" documentation fragment).</summary>
    public static readonly OptionSpec[] Options =
    {
        new("access_key", Aliases: new[] { "aws_access_key_id", "aws_access_key", "ec2_access_key" }, NoLog: true),
        new("secret_key", Aliases: new[] { "aws_secret_access_key", "aws_secret_key", "ec2_secret_key" }, NoLog: true),
        new("session_token", Aliases: new[] { "aws_session_token", "security_token" }, NoLog: true),
        new("profile", Aliases: new[] { "aws_profile" }),
        new("region", Aliases: new[] { "aws_region", "ec2_region" }),
        new("endpoint_url", Aliases: new[] { "aws_endpoint_url", "ec2_url", "s3_url" }),
        new("validate_certs", OptionType.Bool, Default: true),
    };

    /// <summary>
    /// Resolves the settings. Errors: <see cref="CloudApiException"/> with code "NoCredentialsError" and
    /// botocore's message "Unable to locate credentials" when no source has keys; "ProfileNotFound" for an unknown profile.
    /// </summary>
    public static AwsSettings Resolve(ModuleContext ctx) => Resolve(ctx.Args, ctx.Exec.Environment);

    /// <summary>The settings from the module's options <paramref name="a"/> and the task environment <paramref name="ctx"/> (see above).</summary>
    public static AwsSettings Resolve(Dict a, IReadOnlyDictionary<string, string>? ctx)
    {
        var profile = a.Str("profile") ?? CloudEnv.Get(ctx, "AWS_PROFILE") ?? CloudEnv.Get(ctx, "AWS_DEFAULT_PROFILE");
        var home = CloudEnv.Home(ctx);
        var credFile = Ini.Load(CloudEnv.Get(ctx, "AWS_SHARED_CREDENTIALS_FILE") ?? Path.Combine(home, ".aws", "credentials"));
        var confFile = Ini.Load(CloudEnv.Get(ctx, "AWS_CONFIG_FILE") ?? Path.Combine(home, ".aws", "config"));
        var name = profile ?? "default";
        credFile.TryGetValue(name, out var credSection);
        confFile.TryGetValue(name == "default" ? "default" : "profile " + name, out var confSection);
        if (profile is not null && credSection is null && confSection is null)
            throw new CloudApiException(0, "ProfileNotFound", $"The config profile ({profile}) could not be found");

        string? FromFiles(string key) =>
            credSection?.GetValueOrDefault(key) ?? confSection?.GetValueOrDefault(key);

        string? ak, sk, token;
        if (a.Str("access_key") is { } oak)
            (ak, sk, token) = (oak, a.Str("secret_key"), a.Str("session_token"));
        else if (profile is null && CloudEnv.Get(ctx, "AWS_ACCESS_KEY_ID") is { } eak)
            (ak, sk, token) = (eak, CloudEnv.Get(ctx, "AWS_SECRET_ACCESS_KEY"), CloudEnv.Get(ctx, "AWS_SESSION_TOKEN") ?? CloudEnv.Get(ctx, "AWS_SECURITY_TOKEN"));
        else
            (ak, sk, token) = (FromFiles("aws_access_key_id"), FromFiles("aws_secret_access_key"), FromFiles("aws_session_token"));
        if (string.IsNullOrEmpty(ak) || string.IsNullOrEmpty(sk))
            throw new CloudApiException(0, "NoCredentialsError", "Unable to locate credentials");

        var region = a.Str("region") ?? CloudEnv.Get(ctx, "AWS_REGION") ?? CloudEnv.Get(ctx, "AWS_DEFAULT_REGION")
            ?? confSection?.GetValueOrDefault("region");
        var endpointOpt = a.Str("endpoint_url");
        return new AwsSettings(ak, sk, token, region, profile, service =>
            endpointOpt ?? CloudEnv.Get(ctx, "AWS_ENDPOINT_URL_" + service.ToUpperInvariant())
            ?? confSection?.GetValueOrDefault("endpoint_url") ?? CloudEnv.Get(ctx, "AWS_ENDPOINT_URL"));
    }

    /// <summary>Minimal reader of the AWS shared config/credentials INI format (sections, key = value, # and ; comments).</summary>
    private static class Ini
    {
        public static Dictionary<string, Dictionary<string, string>> Load(string path)
        {
            var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            if (!File.Exists(path)) return result;
            Dictionary<string, string>? current = null;
            foreach (var raw in File.ReadAllLines(path))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] is '#' or ';') continue;
                if (line.StartsWith('[') && line.EndsWith(']'))
                {
                    var name = string.Join(' ', line[1..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    current = result.TryGetValue(name, out var s) ? s : result[name] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    continue;
                }
                var eq = line.IndexOf('=');
                if (current is null || eq <= 0) continue;
                current[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
            return result;
        }
    }
}
