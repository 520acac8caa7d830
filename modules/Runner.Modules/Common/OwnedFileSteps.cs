using Runner.Engine.Modules;

namespace Runner.Modules.Common;

/// <summary>
/// chown/chmod steps for modules that must leave a file or folder with a fixed owner and mode (authorized_key's
/// ~/.ssh 0700 and authorized_keys 0600, as os.chown + os.chmod in Ansible's modules). Numeric ids, so a name is
/// never parsed by the target's chown.
/// </summary>
internal static class OwnedFileSteps
{
    /// <summary>`chown UID:GID -- PATH` then `chmod MODE -- PATH` (mode as octal digits, e.g. "0700").</summary>
    public static IEnumerable<Step> Own(string path, long uid, long gid, string mode)
    {
        yield return new RunStep(Argv.Of("chown", $"{uid}:{gid}", "--", path));
        yield return new RunStep(Argv.Of("chmod", mode, "--", path));
    }

    /// <summary>`mkdir -m MODE -- PATH` (one level, as os.mkdir).</summary>
    public static Step MakeDir(string path, string mode) =>
        new RunStep(Argv.Of("mkdir", "-m", mode, "--", path)) { Creates = new Planned.File(path) };
}
