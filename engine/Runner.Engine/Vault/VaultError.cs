using Runner.Engine.Errors;

namespace Runner.Engine.Vault;

/// <summary>
/// A vault failure (Ansible's AnsibleVaultError / AnsibleError from lib/ansible/parsing/vault/__init__.py):
/// a wrong or missing secret, a malformed envelope. The CLI prints "ERROR! message" and exits 1, as ansible-vault
/// and ansible-playbook do.
/// </summary>
public class VaultError : RunnerException
{
    /// <summary>A vault error with exit code 1 (or <paramref name="exitCode"/>).</summary>
    public VaultError(string message, int exitCode = ExitCodes.Error) : base(message, exitCode: exitCode) { }
}

/// <summary>A malformed vault payload (AnsibleVaultFormatError): decrypting stops at once, after the warning
/// "There was a vault format error[ in FILE]: MSG", instead of trying the next secret.</summary>
public sealed class VaultFormatError : VaultError
{
    /// <summary>A format error with Ansible's message.</summary>
    public VaultFormatError(string message) : base(message) { }
}
