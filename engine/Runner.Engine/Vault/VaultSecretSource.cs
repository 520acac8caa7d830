using System.Diagnostics;
using System.Text;

namespace Runner.Engine.Vault;

/// <summary>
/// Reads one vault secret from a password file or an executable script, as Ansible's get_file_vault_secret,
/// FileVaultSecret, ScriptVaultSecret and ClientScriptVaultSecret do: a file's content stripped of whitespace
/// (and decrypted first when the file is itself vaulted with an earlier secret); an executable's stdout stripped of
/// "\r\n" (its stderr goes to the terminal so it can prompt); a script named *-client (or *-client.EXT) is run with
/// <c>--vault-id LABEL</c>, exit code 2 meaning "no secret for that id". The secret never appears in an argument list.
/// </summary>
public static class VaultSecretSource
{
    /// <summary>Loads the secret at <paramref name="path"/> for vault id <paramref name="vaultId"/>.
    /// Errors: <see cref="VaultError"/> with Ansible's messages.</summary>
    public static byte[] Load(string path, string? vaultId, VaultKeyring earlier)
    {
        var full = Path.GetFullPath(path.StartsWith('~') ? Environment.GetEnvironmentVariable("HOME") + path[1..] : path);
        if (!File.Exists(full) && !Directory.Exists(full)) throw new VaultError($"The vault password file {full} was not found");
        if (IsExecutable(full)) return RunScript(full, IsClient(path) ? vaultId : null, IsClient(path));
        byte[] raw;
        try { raw = File.ReadAllBytes(full); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VaultError($"Could not read vault password file {full}: {e.Message}");
        }
        var text = Strip(raw, whitespace: true);
        text = Strip(earlier.DecryptIfVaulted(text, full, out _), whitespace: false);
        if (text.Length == 0) throw new VaultError($"Invalid vault password was provided from file ({full})");
        return text;
    }

    /// <summary>Whether a script's name marks it as a vault-id client (Ansible's script_is_client).</summary>
    public static bool IsClient(string path) => Path.GetFileNameWithoutExtension(path).EndsWith("-client", StringComparison.Ordinal)
        || Path.GetFileName(path).EndsWith("-client", StringComparison.Ordinal);

    private static bool IsExecutable(string path)
    {
        if (OperatingSystem.IsWindows() || Directory.Exists(path)) return false;
        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }

    private static byte[] RunScript(string path, string? vaultId, bool client)
    {
        var psi = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = client, UseShellExecute = false };
        if (client && !string.IsNullOrEmpty(vaultId)) { psi.ArgumentList.Add("--vault-id"); psi.ArgumentList.Add(vaultId); }
        var kind = client ? "vault password client script" : "vault password script";
        Process p;
        try { p = Process.Start(psi) ?? throw new IOException("not started"); }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            throw new VaultError($"Problem running {kind} {path} ({e.Message}). If this is not a script, remove the executable bit from the file.");
        }
        using (p)
        {
            var stderrTask = client ? p.StandardError.ReadToEndAsync() : Task.FromResult("");
            using var ms = new MemoryStream();
            p.StandardOutput.BaseStream.CopyTo(ms);
            p.WaitForExit();
            var stderr = stderrTask.Result;
            if (client && p.ExitCode == 2)
                throw new VaultError($"Vault password client script {path} did not find a secret for vault-id={vaultId}: {PyBytes(stderr)}");
            if (p.ExitCode != 0)
                throw new VaultError(client
                    ? $"Vault password client script {path} returned non-zero ({p.ExitCode}) when getting secret for vault-id={vaultId}: {PyBytes(stderr)}"
                    : $"Vault password script {path} returned non-zero ({p.ExitCode}): None");
            var secret = Strip(ms.ToArray(), whitespace: false);
            if (secret.Length == 0) throw new VaultError($"Invalid vault password was provided from script ({path})");
            return secret;
        }
    }

    /// <summary>Python's repr of captured stderr bytes (b'...'), as Ansible's message shows it.</summary>
    private static string PyBytes(string s) => "b'" + s.Replace("\\", "\\\\").Replace("'", "\\'").Replace("\n", "\\n") + "'";

    /// <summary>Python's bytes.strip() (whitespace) or strip(b"\r\n").</summary>
    private static byte[] Strip(byte[] b, bool whitespace)
    {
        bool Drop(byte c) => whitespace ? c is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0b or 0x0c : c is (byte)'\r' or (byte)'\n';
        int start = 0, end = b.Length;
        while (start < end && Drop(b[start])) start++;
        while (end > start && Drop(b[end - 1])) end--;
        return b[start..end];
    }

    /// <summary>UTF-8 bytes of a prompted password.</summary>
    public static byte[] FromText(string password) => Encoding.UTF8.GetBytes(password);
}
