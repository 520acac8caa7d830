using Runner.Engine.Errors;

namespace Runner.Engine.Galaxy;

/// <summary>
/// Turns a role requirement's source into archive members, offline, as ansible-galaxy 2.14's GalaxyRole.install
/// does (lib/ansible/galaxy/role.py, lib/ansible/utils/galaxy.py): scm git clones the URL (file://, paths and
/// remote URLs all go through the controller's git), checks out the version (tag, branch or commit) and takes
/// `git archive` of it; a file is read as a tar or tar.gz archive; a file:// URL names such a file. Runner also
/// takes a local role folder. Galaxy names and http(s) downloads need a server and are refused with one message.
/// </summary>
public static class RoleSource
{
    /// <summary>The members of the role's archive (a folder's files as members named by their relative path).</summary>
    /// <exception cref="RunnerException">An unsupported scm, a git failure, a file that is no tar archive, or a
    /// source that needs the network.</exception>
    public static async Task<List<TarItem>> MembersAsync(RoleRequirement role, string tempRoot)
    {
        if (role.Scm is not null) return await FromGitAsync(role, tempRoot);
        var src = role.Src.StartsWith("file://", StringComparison.Ordinal) ? new Uri(role.Src).LocalPath : role.Src;
        if (File.Exists(src))
            return TarArchive.IsTar(src) ? TarArchive.Read(src) : throw new RunnerException("the downloaded file does not appear to be a valid tar archive.");
        if (Directory.Exists(src)) return FolderMembers(src);
        if (src.Contains("://"))
            throw new RunnerException($"failed to download the file: {role.Src} needs a download, and Runner installs roles offline only (a path, a tar archive or a git URL)");
        throw new RunnerException($"- sorry, {role.Src} was not found: it is a Galaxy name, and Runner installs roles offline only (a path, a tar archive or a git URL)");
    }

    private static async Task<List<TarItem>> FromGitAsync(RoleRequirement role, string tempRoot)
    {
        if (role.Scm is not "git") throw new RunnerException($"- scm {role.Scm} is not currently supported");
        var dir = Directory.CreateDirectory(Path.Combine(tempRoot, "role-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        await Run(dir, role.Src, "clone", role.Src, role.Name);
        var checkout = Path.Combine(dir, role.Name);
        if (!string.IsNullOrEmpty(role.Version)) await Run(checkout, role.Src, "checkout", role.Version);
        var tar = Path.Combine(dir, role.Name + ".tar");
        await Run(checkout, role.Src, "archive", $"--prefix={role.Name}/", $"--output={tar}", string.IsNullOrEmpty(role.Version) ? "HEAD" : role.Version);
        return TarArchive.Read(tar);
    }

    private static async Task Run(string cwd, string src, params string[] args)
    {
        var r = await Git.RunAsync(cwd, src, args);
        if (r.ExitCode != 0)
            throw new RunnerException($"- command {r.CommandLine} failed in directory {cwd} (rc={r.ExitCode}) - {r.OneLineError}");
    }

    /// <summary>A folder's files and symbolic links as archive members (relative names; .git and other VCS folders left out).</summary>
    public static List<TarItem> FolderMembers(string root)
    {
        var items = new List<TarItem>();
        void Walk(string dir)
        {
            foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var rel = Path.GetRelativePath(root, entry.FullName);
                if (entry.LinkTarget is { } link)
                    items.Add(new TarItem(rel, System.Formats.Tar.TarEntryType.SymbolicLink, link, entry.UnixFileMode, []));
                else if (entry is DirectoryInfo d) { if (!VcsFolders.Contains(d.Name)) Walk(d.FullName); }
                else items.Add(new TarItem(rel, System.Formats.Tar.TarEntryType.RegularFile, "", entry.UnixFileMode, File.ReadAllBytes(entry.FullName)));
            }
        }
        Walk(root);
        return items;
    }

    /// <summary>Folders a copy leaves out, as ansible-galaxy's collection build does (CVS, .bzr, .hg, .git, .svn, __pycache__, .tox).</summary>
    public static readonly HashSet<string> VcsFolders = ["CVS", ".bzr", ".hg", ".git", ".svn", "__pycache__", ".tox"];
}
