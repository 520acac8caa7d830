namespace Runner.Modules.Sys;

/// <summary>
/// The commands ansible.builtin.reboot uses when the task does not give them, by the target's system, as 2.14's action
/// plugin's tables (lib/ansible/plugins/action/reboot.py: BOOT_TIME_COMMANDS, SHUTDOWN_COMMANDS, SHUTDOWN_COMMAND_ARGS,
/// TEST_COMMANDS). Ansible looks a system up by its distribution and version, distribution, then family from the setup
/// module; Runner has one key per target, <see cref="SystemKey"/> of <see cref="ProbeScript"/>'s output (none of the
/// tables has a versioned or a family-only key that a distribution name would not hit).
/// </summary>
internal static class RebootDefaults
{
    /// <summary>Prints the system's name: os-release's ID (debian, alpine, void, freebsd), else `uname -s` (Darwin, SunOS, AIX, OpenBSD).</summary>
    public const string ProbeScript = "(. /etc/os-release && echo \"$ID\") 2>/dev/null || uname -s";

    /// <summary>The tables' key for <see cref="ProbeScript"/>'s output: lower case, Darwin as macosx and SunOS as solaris
    /// (Ansible's distribution MacOSX and family Solaris); "" when nothing was printed.</summary>
    public static string SystemKey(string probed) => probed.Trim().ToLowerInvariant() switch
    {
        "darwin" => "macosx",
        "sunos" => "solaris",
        var k => k,
    };

    private static readonly Dictionary<string, string> BootTime = new()
    {
        ["freebsd"] = "/sbin/sysctl kern.boottime", ["openbsd"] = "/sbin/sysctl kern.boottime",
        ["macosx"] = "who -b", ["solaris"] = "who -b", ["sunos"] = "who -b", ["aix"] = "who -b",
        ["vmkernel"] = "grep booted /var/log/vmksummary.log | tail -n 1",
    };

    private static readonly Dictionary<string, string> Shutdown = new() { ["alpine"] = "reboot", ["vmkernel"] = "reboot" };

    private const string DefaultArgs = "-r {delay_min} \"{message}\"";

    private static readonly Dictionary<string, string> ShutdownArgs = new()
    {
        ["alpine"] = "", ["void"] = "-r +{delay_min} \"{message}\"", ["freebsd"] = "-r +{delay_sec}s \"{message}\"",
        ["linux"] = DefaultArgs, ["macosx"] = "-r +{delay_min} \"{message}\"", ["openbsd"] = "-r +{delay_min} \"{message}\"",
        ["solaris"] = "-y -g {delay_sec} -i 6 \"{message}\"", ["sunos"] = "-y -g {delay_sec} -i 6 \"{message}\"",
        ["vmkernel"] = "-d {delay_sec}", ["aix"] = "-Fr",
    };

    private static readonly Dictionary<string, string> Test = new() { ["solaris"] = "who", ["vmkernel"] = "who" };

    /// <summary>The command that prints a value that changes with every boot (default: the kernel's boot_id).</summary>
    public static string BootTimeCommand(string system) => BootTime.GetValueOrDefault(system, "cat /proc/sys/kernel/random/boot_id");

    /// <summary>The program that reboots the system (default: shutdown, found in search_paths).</summary>
    public static string ShutdownCommand(string system) => Shutdown.GetValueOrDefault(system, "shutdown");

    /// <summary>The reboot program's arguments: pre_reboot_delay as whole minutes (delay_min) or seconds (delay_sec) and
    /// the message, put in as Python's str.format does (unquoted beyond the table's double quotes).</summary>
    public static string ShutdownArguments(string system, long delaySeconds, string message) =>
        ShutdownArgs.GetValueOrDefault(system, DefaultArgs)
            .Replace("{delay_min}", (delaySeconds / 60).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{delay_sec}", delaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{message}", message);

    /// <summary>The command that must succeed once the host is back (default: whoami).</summary>
    public static string TestCommand(string system) => Test.GetValueOrDefault(system, "whoami");
}
