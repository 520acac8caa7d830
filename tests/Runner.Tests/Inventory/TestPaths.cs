namespace Runner.Tests.Inventory;

/// <summary>Locations of test data: the repository root (holding Runner.sln) and the Ansible corpus.</summary>
internal static class TestPaths
{
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Runner.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Runner.sln not found above the test binaries");
        }
    }

    public static string Recordings => Path.Combine(RepoRoot, "tests", "ansible-recordings", "inventory");

    public static string Corpus => "/work/shared/corpus/cases";

    /// <summary>A fresh temporary folder with the given files (relative path -> content).</summary>
    public static string TempTree(params (string Path, string Content)[] files)
    {
        var root = Path.Combine(Path.GetTempPath(), "runner-inv-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        foreach (var (p, c) in files)
        {
            var full = Path.Combine(root, p);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, c);
        }
        return root;
    }
}
