using Runner.Engine.Errors;

namespace Runner.Engine.Modules;

/// <summary>
/// A task gave a module arguments its spec rejects: an unknown option, a missing required option,
/// a value outside the choices or one that cannot be converted to the option's type. The message uses
/// Ansible 2.14's wording (lib/ansible/module_utils/common/arg_spec.py), e.g.
/// "Unsupported parameters for (copy) module: foo. Supported parameters include: ...".
/// The engine reports it as the task's failed result (Ansible fails the task, not the play).
/// </summary>
public sealed class ModuleArgumentException : RunnerException
{
    public ModuleArgumentException(string message, string moduleName, string? key = null)
        : base(message, key: key, exitCode: ExitCodes.HostFailed) => ModuleName = moduleName;

    /// <summary>The module whose arguments were rejected.</summary>
    public string ModuleName { get; }
}
