using Renci.SshNet;
using Renci.SshNet.Common;

namespace Runner.Engine.Connections;

/// <summary>
/// Turns <see cref="SshSettings"/> into SSH.NET connection info (private keys, then password) and checks
/// host keys as OpenSSH does with StrictHostKeyChecking (ssh_config(5)).
/// </summary>
internal static class SshAuth
{
    private static readonly string[] DefaultKeys = { "id_ed25519", "id_ecdsa", "id_rsa" };

    /// <summary>
    /// Connection info for <paramref name="s"/>: the given key files (or ~/.ssh/id_* when none and no password),
    /// then the password. Errors: <see cref="UnreachableException"/> when a key file is missing or cannot be read
    /// (wrong passphrase, unknown format).
    /// </summary>
    public static ConnectionInfo Build(SshSettings s)
    {
        var methods = new List<AuthenticationMethod>();
        var files = s.KeyFiles.ToList();
        if (files.Count == 0 && s.Password is null)
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            files.AddRange(DefaultKeys.Select(k => Path.Combine(home, ".ssh", k)).Where(File.Exists));
        }
        var keys = new List<IPrivateKeySource>();
        foreach (var f in files)
        {
            if (!File.Exists(f))
                throw new UnreachableException($"Failed to connect to the host via ssh: private key file {f} not found");
            try { keys.Add(new PrivateKeyFile(f, s.KeyPassphrase)); }
            catch (Exception e) when (e is SshException or InvalidOperationException or ArgumentException or NotSupportedException or FormatException)
            {
                throw new UnreachableException($"Failed to connect to the host via ssh: cannot load private key {f}: {e.Message}" +
                    (s.KeyPassphrase is null ? " (set ansible_ssh_private_key_passphrase for an encrypted key)" : ""), e);
            }
        }
        if (keys.Count > 0) methods.Add(new PrivateKeyAuthenticationMethod(s.User, keys.ToArray()));
        if (s.Password is not null) methods.Add(new PasswordAuthenticationMethod(s.User, s.Password));
        if (methods.Count == 0) methods.Add(new NoneAuthenticationMethod(s.User));
        var info = new ConnectionInfo(s.Host, s.Port, s.User, methods.ToArray()) { Timeout = s.ConnectTimeout };
        if (s.KexAlgorithms is { Length: > 0 } kex) ApplyKex(info.KeyExchangeAlgorithms, kex);
        return info;
    }

    /// <summary>
    /// Reorders/filters SSH.NET's key exchange table as OpenSSH's KexAlgorithms option (ssh_config(5)): "a,b" keeps
    /// only those (in that order), "+a,b" keeps the defaults (names SSH.NET lacks are ignored), "-a,b" removes
    /// them, "^a,b" moves them first. Errors: <see cref="UnreachableException"/> when no algorithm is left.
    /// </summary>
    internal static void ApplyKex(IDictionary<string, Func<Renci.SshNet.Security.IKeyExchange>> table, string value)
    {
        var mode = value[0] is '+' or '-' or '^' ? value[0] : '=';
        var names = (mode == '=' ? value : value[1..]).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var all = table.ToList();
        IEnumerable<KeyValuePair<string, Func<Renci.SshNet.Security.IKeyExchange>>> kept = mode switch
        {
            '=' => names.SelectMany(n => all.Where(e => e.Key == n)),
            '-' => all.Where(e => !names.Contains(e.Key)),
            '^' => names.SelectMany(n => all.Where(e => e.Key == n)).Concat(all.Where(e => !names.Contains(e.Key))),
            _ => all,
        };
        var result = kept.ToList();
        if (result.Count == 0)
            throw new UnreachableException($"Failed to connect to the host via ssh: no key exchange algorithm left from KexAlgorithms={value} " +
                                           $"(Runner supports {string.Join(",", all.Select(e => e.Key))})");
        table.Clear();
        foreach (var (k, f) in result) table[k] = f;
    }

    /// <summary>
    /// Null when <paramref name="keyBlob"/> may be trusted for <paramref name="s"/>'s host (appending it under
    /// accept-new), else the reason, naming the known_hosts file (and line, for a changed key).
    /// </summary>
    public static string? CheckHostKey(SshSettings s, byte[] keyBlob)
    {
        if (s.Checking == HostKeyChecking.Off) return null;
        var look = SshKnownHosts.Lookup(s.KnownHostsFiles, s.Host, s.Port, keyBlob);
        var type = SshKnownHosts.KeyType(keyBlob);
        var id = SshKnownHosts.HostId(s.Host, s.Port);
        var fp = "SHA256:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(keyBlob)).TrimEnd('=');
        switch (look.Status)
        {
            case HostKeyStatus.Known:
                return null;
            case HostKeyStatus.Changed:
                return $"Host key verification failed: REMOTE HOST IDENTIFICATION HAS CHANGED for {id}: the {type} key offered ({fp}) " +
                       $"differs from the one in {look.File}:{look.Line} (offending key in {look.File}:{look.Line})";
            case HostKeyStatus.Revoked:
                return $"Host key verification failed: the {type} key of {id} is marked as revoked in {look.File}:{look.Line}";
            default:
                if (s.Checking == HostKeyChecking.AcceptNew)
                {
                    try { SshKnownHosts.Append(s.KnownHostsFiles[0], s.Host, s.Port, keyBlob); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        return $"Host key verification failed: could not add the {type} key of {id} to {s.KnownHostsFiles[0]}: {e.Message}";
                    }
                    return null;
                }
                return $"Host key verification failed: no {type} host key is known for {id} in {string.Join(", ", s.KnownHostsFiles)} " +
                       $"and strict checking is on ({fp}; add it there, or use -o StrictHostKeyChecking=accept-new or host_key_checking=false)";
        }
    }
}
