using Runner.Engine.Connections;
using Runner.Engine.Modules.Facts;

namespace Runner.Modules.Facts;

/// <summary>The raw answer of `getent DATABASE [KEY] [-s SERVICE]`: exit code (0 found, 1 bad arguments, 2 key not found, 3 no enumeration) and stdout.</summary>
public sealed class GetentFact : Fact<CommandResult>
{
    private readonly string _database;
    private readonly string? _key;
    private readonly string? _service;

    /// <summary>The entries of <paramref name="database"/> (passwd, group, hosts, services, ...), or only <paramref name="key"/>'s.</summary>
    public GetentFact(string database, string? key, string? service) => (_database, _key, _service) = (database, key, service);

    /// <inheritdoc/>
    public override string Key => $"getent:{_database}:{_service ?? "-"}:{_key ?? "*"}";

    /// <inheritdoc/>
    public override string Script =>
        ShellQuote.Join(new[] { "getent", _database }.Concat(_key is null ? Array.Empty<string>() : new[] { _key })
            .Concat(_service is null ? Array.Empty<string>() : new[] { "-s", _service }));

    /// <inheritdoc/>
    public override CommandResult Parse(CommandResult output) => output;
}
