using Runner.Engine.Errors;
using Runner.Engine.Playbooks;
using Runner.Engine.Values;
using Runner.Engine.Yaml;

namespace Runner.Cli;

/// <summary>
/// Parses -e/--extra-vars values as ansible-playbook does: `k=v k2=v2` (values stay strings),
/// `@file` (YAML or JSON), or inline JSON/YAML starting with { or [. Later -e values win.
/// </summary>
public static class ExtraVars
{
    public static Dict Parse(IEnumerable<string> values)
    {
        var result = new Dict();
        foreach (var raw in values)
        {
            var v = raw.Trim();
            Dict parsed;
            if (v.StartsWith('@'))
            {
                var path = v[1..];
                if (!File.Exists(path)) throw new RunnerException($"Unable to retrieve file contents: the file {path} could not be found for --extra-vars", exitCode: ExitCodes.Error);
                parsed = YamlLoader.LoadFile(path) as Dict ?? throw new RunnerException($"{path} must hold a mapping", exitCode: ExitCodes.BadOptions);
            }
            else if (v.StartsWith('{') || v.StartsWith('['))
            {
                parsed = YamlLoader.Load(v, "--extra-vars") as Dict ?? throw new RunnerException("extra vars must be a mapping", exitCode: ExitCodes.BadOptions);
            }
            else
            {
                try { parsed = KeyValueParser.Parse(v, false); }
                catch (FormatException e) { throw new RunnerException($"Invalid extra vars data supplied: {e.Message}", exitCode: ExitCodes.BadOptions); }
            }
            foreach (var (k, val) in parsed) result[k] = val;
        }
        return result;
    }
}
