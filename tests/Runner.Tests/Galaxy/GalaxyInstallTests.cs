using Runner.Tests.Seed;

namespace Runner.Tests.Galaxy;

/// <summary>
/// `runner galaxy install` end to end (issue 11 item 3): a role from a local git repository at a tag and a collection
/// from a tar.gz (both built by tests/galaxy/make-fixtures.sh) install from requirements.yml, and a play using the role by
/// name and the collection's role by FQCN runs locally; refs may be a branch or a commit; the seed's requirements.yml
/// installs kubernetes.core's metadata; bad input is one ERROR! line and exit 1, never a stack trace.
/// </summary>
public class GalaxyInstallTests
{
    [Fact]
    public void Requirements_install_a_tagged_git_role_and_a_tar_collection_that_a_play_then_uses()
    {
        using var fx = new GalaxyFixtures();
        var (rc, stdout, stderr) = fx.Runner("galaxy", "install", "-r", "requirements.yml");
        Assert.True(rc == 0, stdout + stderr);
        var role = Path.Combine(fx.Dir, "home", ".ansible", "roles", "myrole");
        Assert.Contains("myrole v1", File.ReadAllText(Path.Combine(role, "tasks", "main.yml")));
        Assert.Contains("version: v1.0", File.ReadAllText(Path.Combine(role, "meta", ".galaxy_install_info")));
        var coll = Path.Combine(fx.Dir, "home", ".ansible", "collections", "ansible_collections", "acme", "tools");
        Assert.Contains("\"version\": \"1.0.0\"", File.ReadAllText(Path.Combine(coll, "MANIFEST.json")));
        Assert.True(File.Exists(Path.Combine(coll, "roles", "greet", "tasks", "main.yml")));

        var (prc, play, perr) = fx.Runner("play", "-i", "localhost,", "site.yml");
        Assert.True(prc == 0, play + perr);
        Assert.Contains("TASK [myrole : debug]", play);
        Assert.Contains("\"msg\": \"myrole v1\"", play);
        Assert.DoesNotContain("myrole v2", play);
        Assert.Equal(2, play.Split("TASK [acme.tools.greet : debug]").Length - 1);
        Assert.Equal(2, play.Split("\"msg\": \"greet from acme.tools\"").Length - 1);
        Assert.Contains("ok=3    changed=0", play);
    }

    [Fact]
    public void A_git_role_installs_at_a_commit_or_a_branch()
    {
        using var fx = new GalaxyFixtures();
        var sha = fx.Git("src/myrole", "rev-parse", "v1.0");
        Assert.Matches("^[0-9a-f]{40}$", sha);
        var (rc, stdout, stderr) = fx.Runner("galaxy", "install", "-p", "bycommit", $"git+file://{fx.Dir}/src/myrole,{sha},myrole");
        Assert.True(rc == 0, stdout + stderr);
        Assert.Contains($"- myrole ({sha}) was installed successfully", stdout);
        Assert.Contains("myrole v1", File.ReadAllText(Path.Combine(fx.Dir, "bycommit", "myrole", "tasks", "main.yml")));
        (rc, stdout, stderr) = fx.Runner("galaxy", "install", "-p", "bybranch", $"git+file://{fx.Dir}/src/myrole,main,myrole");
        Assert.True(rc == 0, stdout + stderr);
        Assert.Contains("myrole v2", File.ReadAllText(Path.Combine(fx.Dir, "bybranch", "myrole", "tasks", "main.yml")));
        Assert.False(Directory.Exists(Path.Combine(fx.Dir, "bybranch", "myrole", ".git")));
    }

    [Fact]
    public void The_seeds_requirements_install_the_metadata_of_collections_Runner_implements()
    {
        using var fx = new GalaxyFixtures();
        var seedRequirements = Path.Combine(SeedLab.SharedDir, "corpus", "seed-oidc", "requirements.yml");
        var (rc, stdout, stderr) = fx.Runner("galaxy", "install", "-r", seedRequirements);
        Assert.True(rc == 0, stdout + stderr);
        Assert.Contains("kubernetes.core:2.4.1 was installed successfully (metadata only: Runner implements its modules natively)", stdout);
        var manifest = Path.Combine(fx.Dir, "home", ".ansible", "collections", "ansible_collections", "kubernetes", "core", "MANIFEST.json");
        Assert.Contains("\"version\": \"2.4.1\"", File.ReadAllText(manifest));
        var (lrc, list, _) = fx.Runner("galaxy", "collection", "list");
        Assert.Equal(0, lrc);
        Assert.Contains("kubernetes.core 2.4.1", list);
    }

    [Theory]
    [InlineData("unknown-key.yml", "other: []\n", "ERROR! Expecting only 'roles' and/or 'collections' as base keys in the requirements file. Found: other")]
    [InlineData("empty.yml", "", "ERROR! No requirements found in file")]
    [InlineData("bad-type.yml", "collections:\n  - name: x\n    type: svn\n", "ERROR! The collection requirement entry key 'type' must be one of")]
    [InlineData("galaxy-name.yml", "collections:\n  - community.mysql\n", "ERROR! community.mysql is a Galaxy collection: Runner installs collections offline only")]
    [InlineData("no-role-name.yml", "roles:\n  - version: 1\n", "ERROR! Must specify name or src for role")]
    [InlineData("broken.yml", "roles: [\n", "ERROR! Failed to parse the requirements yml at")]
    public void Bad_requirements_are_one_error_line_and_exit_1(string file, string text, string error)
    {
        using var fx = new GalaxyFixtures();
        File.WriteAllText(Path.Combine(fx.Dir, file), text);
        var (rc, stdout, stderr) = fx.Runner("galaxy", "install", "-r", file);
        Assert.True(rc == 1, stdout + stderr);
        Assert.StartsWith(error, fx.Normalize(stderr.Split('\n').First(l => l.StartsWith("ERROR! "))));
        Assert.DoesNotContain("   at ", stderr);
    }

    [Theory]
    [InlineData("geerlingguy.docker", "- sorry, geerlingguy.docker was not found")]
    [InlineData("https://example.test/role.tar.gz", "failed to download the file")]
    public void Roles_that_need_the_network_fail_with_a_reason(string item, string reason)
    {
        using var fx = new GalaxyFixtures();
        var (rc, stdout, stderr) = fx.Runner("galaxy", "install", "-p", "r", item);
        Assert.True(rc == 1, stdout + stderr);
        Assert.Contains(reason, stderr.Replace("\n", " "));
        Assert.Contains("ERROR! - you can use --ignore-errors to skip failed roles and finish processing the list.", stderr);
        (rc, _, stderr) = fx.Runner("galaxy", "install", "-p", "r", "--ignore-errors", item);
        Assert.True(rc == 0, stderr);
    }

    [Fact]
    public void A_bad_option_is_a_usage_line_and_exit_2()
    {
        using var fx = new GalaxyFixtures();
        var (rc, _, stderr) = fx.Runner("galaxy", "install", "--no-such-option");
        Assert.Equal(2, rc);
        Assert.StartsWith("usage: runner galaxy", stderr);
        Assert.Contains("error: unrecognized arguments: --no-such-option", stderr);
        (rc, _, stderr) = fx.Runner("galaxy", "install", "-r");
        Assert.Equal(2, rc);
        Assert.Contains("error: argument -r/--role-file: expected one argument", stderr);
    }
}
