using System.Diagnostics;
using System.Text;
using Runner.Engine.Inventory;

namespace Runner.Engine.Vault;

/// <summary>
/// The file operations of ansible-vault, as Ansible's VaultEditor does them: encrypt, decrypt, plaintext (view),
/// create and edit (through $EDITOR on a 0600 temp file that is shredded afterwards), rekey (keeping the file's mode).
/// Errors are <see cref="VaultError"/>s with Ansible's words, e.g. "Decryption failed (...) on FILE for FILE".
/// </summary>
public sealed class VaultEditor
{
    private readonly VaultKeyring _keyring;

    /// <summary>An editor decrypting with <paramref name="keyring"/>.</summary>
    public VaultEditor(VaultKeyring keyring) => _keyring = keyring;

    private static string RealPath(string path) => path == "-" ? path : ResolveLinks(Path.GetFullPath(path));

    private static string ResolveLinks(string path)
    {
        try { return new FileInfo(path).ResolveLinkTarget(true)?.FullName ?? path; }
        catch (IOException) { return path; }
    }

    /// <summary>Encrypts a file (or stdin for "-") into <paramref name="output"/> or in place.</summary>
    public void EncryptFile(string file, byte[] secret, string? vaultId, string? output)
    {
        file = RealPath(file);
        var plain = VaultFileIO.Read(file);
        var text = VaultKeyring.Encrypt(plain, secret, vaultId);
        VaultFileIO.Write(Encoding.ASCII.GetBytes(text), output ?? file);
    }

    /// <summary>Decrypts a file (or stdin) into <paramref name="output"/> or in place.</summary>
    public void DecryptFile(string file, string? output)
    {
        file = RealPath(file);
        var data = VaultFileIO.Read(file);
        byte[] plain;
        try { plain = _keyring.Decrypt(Encoding.UTF8.GetString(data), file); }
        catch (VaultError e) { throw new VaultError($"{e.Message} for {file}"); }
        VaultFileIO.Write(plain, output ?? file, shred: false);
    }

    /// <summary>The plaintext of a file, as `view` shows it (the name as given in messages).</summary>
    public byte[] Plaintext(string file)
    {
        var data = VaultFileIO.Read(file);
        try { return _keyring.Decrypt(Encoding.UTF8.GetString(data), file); }
        catch (VaultError e) { throw new VaultError($"{e.Message} for {file}"); }
    }

    /// <summary>Creates a new vaulted file by editing an empty temp file. Errors: "FILE exists, please use 'edit' instead".
    /// A missing folder is created after <paramref name="warn"/> "DIR does not exist, creating...".</summary>
    public void CreateFile(string file, byte[] secret, string? vaultId, Action<string> warn)
    {
        var dir = Path.GetDirectoryName(file);
        if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
        {
            warn($"{dir} does not exist, creating...");
            Directory.CreateDirectory(dir);
        }
        if (File.Exists(file)) throw new VaultError($"{file} exists, please use 'edit' instead");
        EditHelper(file, secret, null, vaultId, forceSave: false);
    }

    /// <summary>Decrypts, edits and re-encrypts a file with the secret that opened it and the id in its header.</summary>
    public void EditFile(string file)
    {
        file = RealPath(file);
        var data = VaultFileIO.Read(file);
        var text = Encoding.UTF8.GetString(data);
        (byte[] Plaintext, string IdUsed, byte[] SecretUsed) d;
        try { d = _keyring.DecryptWithId(text, null); }
        catch (VaultError e) { throw new VaultError($"{e.Message} for {file}"); }
        var envelope = VaultEnvelope.Parse(text, file);
        EditHelper(file, d.SecretUsed, d.Plaintext, envelope.VaultId, forceSave: envelope.Cipher != "AES256");
    }

    /// <summary>Re-encrypts a file with a new secret and id, keeping its permission bits.</summary>
    public void RekeyFile(string file, byte[] newSecret, string? newVaultId)
    {
        file = RealPath(file);
        var mode = OperatingSystem.IsWindows() ? (UnixFileMode?)null : File.Exists(file) ? File.GetUnixFileMode(file) : null;
        var data = VaultFileIO.Read(file);
        byte[] plain;
        try { plain = _keyring.DecryptWithId(Encoding.UTF8.GetString(data), null).Plaintext; }
        catch (VaultError e) { throw new VaultError($"{e.Message} for {file}"); }
        VaultFileIO.Write(Encoding.ASCII.GetBytes(VaultKeyring.Encrypt(plain, newSecret, newVaultId)), file);
        if (mode is { } m && !OperatingSystem.IsWindows()) File.SetUnixFileMode(file, m);
    }

    private static void EditHelper(string file, byte[] secret, byte[]? existing, string? vaultId, bool forceSave)
    {
        var ext = Path.GetExtension(file);
        var tmp = Path.Combine(Path.GetTempPath(), $"runner-vault-{Guid.NewGuid():N}{ext}");
        try
        {
            using (var fs = new FileStream(tmp, new FileStreamOptions
                   {
                       Mode = FileMode.CreateNew, Access = FileAccess.Write,
                       UnixCreateMode = OperatingSystem.IsWindows() ? null : UnixFileMode.UserRead | UnixFileMode.UserWrite,
                   }))
                if (existing is not null) fs.Write(existing);
            RunEditor(tmp);
            var edited = VaultFileIO.Read(tmp);
            if (forceSave || existing is null || !edited.AsSpan().SequenceEqual(existing))
            {
                var cipher = Encoding.ASCII.GetBytes(VaultKeyring.Encrypt(edited, secret, vaultId));
                UnixFileMode? mode = !OperatingSystem.IsWindows() && File.Exists(file) ? File.GetUnixFileMode(file) : null;
                VaultFileIO.Write(cipher, file, shred: false);
                if (mode is { } m) File.SetUnixFileMode(file, m);
            }
        }
        finally { VaultFileIO.Shred(tmp); }
    }

    private static void RunEditor(string tmp)
    {
        var cmd = PosixShlex.Split(Environment.GetEnvironmentVariable("EDITOR") ?? "vi");
        cmd.Add(tmp);
        var psi = new ProcessStartInfo(cmd[0]) { UseShellExecute = false };
        foreach (var a in cmd.Skip(1)) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi) ?? throw new IOException("not started");
            p.WaitForExit();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            throw new VaultError($"Unable to execute the command \"{string.Join(' ', cmd)}\": [Errno 2] No such file or directory: '{cmd[0]}'");
        }
    }
}
