using System.Text.RegularExpressions;

namespace Runner.Engine.Playbooks;

/// <summary>
/// Finds a role named by its FQCN, NAMESPACE.COLLECTION.ROLE, as Ansible 2.14 does (docs "Using collections in a
/// playbook"; lib/ansible/playbook/role/definition.py with the collection loader): ansible_collections/NAMESPACE/
/// COLLECTION/roles/ROLE under the playbook's collections/ folder, then under each collections path (a path that
/// already ends in ansible_collections is taken as it is). `galaxy collection install` lays collections out so.
/// </summary>
public static class CollectionRoles
{
    private static readonly Regex Fqcr = new(@"^([A-Za-z_]\w*)\.([A-Za-z_]\w*)\.([A-Za-z_]\w*)$", RegexOptions.CultureInvariant);

    /// <summary>True when <paramref name="name"/> has the NAMESPACE.COLLECTION.ROLE form.</summary>
    public static bool IsFqcr(string name) => Fqcr.IsMatch(name);

    /// <summary>The role folder for an FQCN role name, or null (not that form, or in no collection found).</summary>
    public static string? Find(string name, string playbookDir, IEnumerable<string> collectionsPaths)
    {
        var m = Fqcr.Match(name);
        if (!m.Success) return null;
        foreach (var basePath in collectionsPaths.Prepend(Path.Combine(playbookDir, "collections")))
        {
            var root = Path.GetFileName(basePath.TrimEnd('/')) == "ansible_collections" ? basePath : Path.Combine(basePath, "ansible_collections");
            var dir = Path.Combine(root, m.Groups[1].Value, m.Groups[2].Value, "roles", m.Groups[3].Value);
            if (Directory.Exists(dir)) return Path.GetFullPath(dir);
        }
        return null;
    }
}
