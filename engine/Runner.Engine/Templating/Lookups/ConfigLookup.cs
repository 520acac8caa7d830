using Runner.Engine.Templating.Jinja;
using Runner.Engine.Values;

namespace Runner.Engine.Templating.Lookups;

/// <summary>
/// config (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/config_lookup.html): the value of an
/// ansible-core setting by its constant name (DEFAULT_BECOME_USER...): Ansible's default, or its ANSIBLE_* environment
/// variable. Runner knows the common settings listed here; plugin settings (plugin_type/plugin_name) are refused
/// clearly. on_missing=error|warn|skip; missing with error: "Unable to find setting NAME..." as Ansible words it.
/// </summary>
internal sealed class ConfigLookup : LookupPlugin
{
    private enum Kind { Str, Bool, Int, Paths }

    private static readonly string Home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static readonly Dictionary<string, (object? Default, string? Env, Kind Kind)> Settings = new()
    {
        ["DEFAULT_BECOME"] = (false, "ANSIBLE_BECOME", Kind.Bool),
        ["DEFAULT_BECOME_USER"] = ("root", "ANSIBLE_BECOME_USER", Kind.Str),
        ["DEFAULT_BECOME_METHOD"] = ("sudo", "ANSIBLE_BECOME_METHOD", Kind.Str),
        ["DEFAULT_BECOME_FLAGS"] = (null, "ANSIBLE_BECOME_FLAGS", Kind.Str),
        ["DEFAULT_TIMEOUT"] = (10L, "ANSIBLE_TIMEOUT", Kind.Int),
        ["DEFAULT_FORKS"] = (5L, "ANSIBLE_FORKS", Kind.Int),
        ["DEFAULT_POLL_INTERVAL"] = (15L, "ANSIBLE_POLL_INTERVAL", Kind.Int),
        ["DEFAULT_MODULE_NAME"] = ("command", null, Kind.Str),
        ["DEFAULT_GATHERING"] = ("implicit", "ANSIBLE_GATHERING", Kind.Str),
        ["DEFAULT_HASH_BEHAVIOUR"] = ("replace", "ANSIBLE_HASH_BEHAVIOUR", Kind.Str),
        ["DEFAULT_REMOTE_USER"] = (null, "ANSIBLE_REMOTE_USER", Kind.Str),
        ["DEFAULT_REMOTE_PORT"] = (null, "ANSIBLE_REMOTE_PORT", Kind.Int),
        ["DEFAULT_TRANSPORT"] = ("smart", "ANSIBLE_TRANSPORT", Kind.Str),
        ["DEFAULT_EXECUTABLE"] = ("/bin/sh", "ANSIBLE_EXECUTABLE", Kind.Str),
        ["DEFAULT_JINJA2_NATIVE"] = (false, "ANSIBLE_JINJA2_NATIVE", Kind.Bool),
        ["DEFAULT_PRIVATE_ROLE_VARS"] = (false, "ANSIBLE_PRIVATE_ROLE_VARS", Kind.Bool),
        ["DEFAULT_KEEP_REMOTE_FILES"] = (false, "ANSIBLE_KEEP_REMOTE_FILES", Kind.Bool),
        ["DEFAULT_NO_LOG"] = (false, "ANSIBLE_NO_LOG", Kind.Bool),
        ["DEFAULT_STDOUT_CALLBACK"] = ("default", "ANSIBLE_STDOUT_CALLBACK", Kind.Str),
        ["DEFAULT_MANAGED_STR"] = ("Ansible managed", null, Kind.Str),
        ["DEFAULT_UNDEFINED_VAR_BEHAVIOR"] = (true, "ANSIBLE_ERROR_ON_UNDEFINED_VARS", Kind.Bool),
        ["DEFAULT_ROLES_PATH"] = ($"{Home}/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles", "ANSIBLE_ROLES_PATH", Kind.Paths),
        ["COLLECTIONS_PATHS"] = ($"{Home}/.ansible/collections:/usr/share/ansible/collections", "ANSIBLE_COLLECTIONS_PATHS", Kind.Paths),
        ["DEFAULT_HOST_LIST"] = ("/etc/ansible/hosts", "ANSIBLE_INVENTORY", Kind.Paths),
        ["DEFAULT_PASSWORD_CHARS"] = (PasswordLookup.DefaultChars, null, Kind.Str),
        ["HOST_KEY_CHECKING"] = (true, "ANSIBLE_HOST_KEY_CHECKING", Kind.Bool),
        ["RETRY_FILES_ENABLED"] = (false, "ANSIBLE_RETRY_FILES_ENABLED", Kind.Bool),
        ["ANSIBLE_FORCE_COLOR"] = (false, "ANSIBLE_FORCE_COLOR", Kind.Bool),
        ["ANSIBLE_PIPELINING"] = (false, "ANSIBLE_PIPELINING", Kind.Bool),
        ["DEPRECATION_WARNINGS"] = (true, "ANSIBLE_DEPRECATION_WARNINGS", Kind.Bool),
        ["DISPLAY_SKIPPED_HOSTS"] = (true, "ANSIBLE_DISPLAY_SKIPPED_HOSTS", Kind.Bool),
        ["INJECT_FACTS_AS_VARS"] = (true, "ANSIBLE_INJECT_FACT_VARS", Kind.Bool),
        ["INVALID_TASK_ATTRIBUTE_FAILED"] = (true, "ANSIBLE_INVALID_TASK_ATTRIBUTE_FAILED", Kind.Bool),
        ["MAX_FILE_SIZE_FOR_DIFF"] = (104448L, "ANSIBLE_MAX_DIFF_SIZE", Kind.Int),
    };

    public override IReadOnlyList<string> Names { get; } = new[] { "config" };

    public override List<object?> Run(List<object?> terms, LookupCall call)
    {
        var missing = call.Str("on_missing", "error");
        if (missing is not ("error" or "warn" or "skip"))
            throw new LookupOptionsError($"\"on_missing\" must be a string and one of \"error\", \"warn\" or \"skip\", not {missing}");
        var ptype = call.Str("plugin_type");
        var pname = call.Str("plugin_name");
        if ((ptype ?? pname) is not null && (ptype is null || pname is null))
            throw new LookupOptionsError("Both plugin_type and plugin_name are required, cannot use one without the other");
        if (ptype is not null)
            throw new LookupOptionsError($"Runner's config lookup reads ansible-core settings only, not the settings of the {ptype} plugin \"{pname}\"");
        var ret = new List<object?>();
        foreach (var t in terms)
        {
            var name = t is string s ? s : throw new LookupOptionsError($"Invalid setting identifier, \"{PyOps.Str(t)}\" is not a string, its a <class '{PyOps.TypeName(t)}'>");
            if (!Settings.TryGetValue(name, out var setting))
            {
                if (missing == "error")
                    throw new LookupFailedError($"Unable to find setting {name}. module 'ansible.constants' has no attribute '{name}'. module 'ansible.constants' has no attribute '{name}'");
                continue;
            }
            var raw = setting.Env is not null && Environment.GetEnvironmentVariable(setting.Env) is { } ev ? ev : setting.Default;
            ret.Add(Convert(raw, setting.Kind));
        }
        return ret;
    }

    private static object? Convert(object? v, Kind kind) => v switch
    {
        null => null,
        string s when kind == Kind.Bool => Filters.ToBool(s),
        string s when kind == Kind.Int => long.TryParse(s, out var l) ? l : s,
        string s when kind == Kind.Paths => s.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(p => (object?)(p.StartsWith('~') ? Home + p[1..] : p)).ToList(),
        _ => v,
    };
}
