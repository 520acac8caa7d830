using Runner.Engine.Values;

namespace Runner.Engine.Facts;

/// <summary>
/// env as ansible-core 2.14's EnvFactCollector reports it (lib/ansible/module_utils/facts/system/env.py: os.environ of
/// the module process): here the probe shell's environment, sent base64-encoded and NUL-separated (/proc/self/environ),
/// without Runner's own run mark (<see cref="Connections.RunMark"/>).
/// </summary>
internal static class EnvFacts
{
    public static Dict Parse(string b64)
    {
        var env = new Dict();
        if (b64.Length == 0) return env;
        byte[] bytes;
        try { bytes = Convert.FromBase64String(b64); } catch (FormatException) { return env; }
        foreach (var item in System.Text.Encoding.UTF8.GetString(bytes).Split('\0'))
        {
            var eq = item.IndexOf('=');
            if (eq > 0 && item[..eq] != Connections.RunMark.Variable) env[item[..eq]] = item[(eq + 1)..];
        }
        return env;
    }
}
