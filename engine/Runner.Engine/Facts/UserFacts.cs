using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// user_id, user_uid, user_gid, user_gecos, user_dir, user_shell, real_user_id, effective_user_id, real_group_id,
/// effective_group_id as ansible-core 2.14's UserFactCollector reports them (lib/ansible/module_utils/facts/system/user.py):
/// the passwd entry of the login name (getent passwd), and the process ids from `id` (effective_group_id is the
/// real gid there too, as in Ansible).
/// </summary>
internal static class UserFacts
{
    public static Dict From(ProbeOutput p)
    {
        var f = new Dict { ["user_id"] = p.Value("user_id") };
        var pw = p.Value("passwd").Split(':');
        if (pw.Length >= 7)
        {
            f["user_uid"] = Long(pw[2]);
            f["user_gid"] = Long(pw[3]);
            f["user_gecos"] = pw[4];
            f["user_dir"] = pw[5];
            f["user_shell"] = pw[6];
        }
        else
        {
            f["user_uid"] = Long(p.Value("user_uid"));
            f["user_gid"] = Long(p.Value("user_gid"));
        }
        f["real_user_id"] = Long(p.Value("real_user_id"));
        f["effective_user_id"] = Long(p.Value("user_uid"));
        f["real_group_id"] = Long(p.Value("real_group_id"));
        f["effective_group_id"] = Long(p.Value("real_group_id"));
        return f;
    }

    private static long? Long(string s) => long.TryParse(s.Trim(), out var v) ? v : null;
}
