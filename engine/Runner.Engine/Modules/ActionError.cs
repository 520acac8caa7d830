namespace Runner.Engine.Modules;

/// <summary>
/// An action plugin raised an AnsibleError (include_vars' "X is not a valid option in include_vars"): the task's result
/// is only {"failed": true, "msg": MESSAGE}, without the "changed" a module's failure carries (TaskExecutor.run's
/// except AnsibleError).
/// </summary>
public sealed class ActionError(string message) : Exception(message);
