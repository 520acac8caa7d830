using Runner.Engine.Errors;
using Runner.Engine.Galaxy;
using Runner.Engine.Values;

namespace Runner.Tests.Galaxy;

/// <summary>requirements.yml entries read as ansible-galaxy 2.14 reads them (lib/ansible/playbook/role/requirement.py,
/// dependency_resolution/dataclasses.py).</summary>
public class RequirementParsingTests
{
    [Theory]
    [InlineData("geerlingguy.docker", "geerlingguy.docker", "geerlingguy.docker", null, null)]
    [InlineData("git+https://git.example.test/repos/web.git,v2", "web", "https://git.example.test/repos/web.git", "git", "v2")]
    [InlineData("git+file:///srv/r/myrole,main,other", "other", "file:///srv/r/myrole", "git", "main")]
    [InlineData("https://example.test/files/app.tar.gz", "app", "https://example.test/files/app.tar.gz", null, null)]
    [InlineData("/tmp/x/role.tar.gz,1.0,tr", "tr", "/tmp/x/role.tar.gz", null, "1.0")]
    public void A_role_line_gives_name_src_scm_and_version(string line, string name, string src, string? scm, string? version) =>
        Assert.Equal(new RoleRequirement(name, src, scm, version), RoleRequirement.Parse(line));

    [Fact]
    public void A_role_mapping_takes_src_scm_version_name_and_the_old_role_key()
    {
        Assert.Equal(new RoleRequirement("repo", "https://github.com/u/repo", "git", ""),
            RoleRequirement.Parse(new Dict { ["src"] = "https://github.com/u/repo" }));
        Assert.Equal(new RoleRequirement("x", "file:///r/x.git", "git", "v1"),
            RoleRequirement.Parse(new Dict { ["src"] = "file:///r/x.git", ["scm"] = "git", ["version"] = "v1" }));
        Assert.Equal(new RoleRequirement("old", "old", null, ""), RoleRequirement.Parse(new Dict { ["role"] = "old" }));
        Assert.Equal("Invalid role line (a,b,c,d). Proper format is 'role_name[,version[,name]]'",
            Assert.Throws<RunnerException>(() => RoleRequirement.Parse("a,b,c,d")).Message);
    }

    [Fact]
    public void A_collection_entry_gets_its_type_from_what_it_points_at()
    {
        Assert.Equal(new CollectionRequirement("kubernetes.core", "2.4.1", null, "galaxy"),
            CollectionRequirement.Parse(new Dict { ["name"] = "kubernetes.core", ["version"] = "2.4.1" }));
        Assert.Equal(new CollectionRequirement(null, "*", "git+file:///r/c.git", "git"), CollectionRequirement.Parse("git+file:///r/c.git"));
        Assert.Equal(new CollectionRequirement(null, "1.0", "/r/c.tar.gz", "file"),
            CollectionRequirement.Parse(new Dict { ["name"] = "/r/c.tar.gz", ["type"] = "file", ["version"] = "1.0" }));
        Assert.Equal(new CollectionRequirement("acme.tools", "*", "/r/c.tar.gz", "file"),
            CollectionRequirement.Parse(new Dict { ["name"] = "acme.tools", ["type"] = "file", ["source"] = "/r/c.tar.gz" }));
        Assert.StartsWith("Neither the collection requirement entry key 'name', nor 'source' point to a concrete",
            Assert.Throws<RunnerException>(() => CollectionRequirement.Parse("/no/such/file.tar.gz")).Message);
    }

    [Theory]
    [InlineData("1.2.3", "*", true)]
    [InlineData("1.2.3", "1.2.3", true)]
    [InlineData("1.2.3", ">=1.0.0,<2.0.0", true)]
    [InlineData("2.0.0", ">=1.0.0,<2.0.0", false)]
    [InlineData("1.10.0", ">1.9.0", true)]
    [InlineData("1.2.3", "!=1.2.3", false)]
    public void Versions_meet_requirements_as_ansible_galaxy_compares_them(string version, string requirement, bool meets) =>
        Assert.Equal(meets, VersionSpec.Meets(version, requirement));
}
