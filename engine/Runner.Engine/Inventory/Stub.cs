// TEMPORARY stub until the inventory branch is merged.
using Runner.Engine.Values;
namespace Runner.Engine.Inventory;
public sealed class InventoryData { public IReadOnlyList<Host> Hosts { get; init; } = new List<Host>(); public IReadOnlyDictionary<string, Group> Groups { get; init; } = new Dictionary<string, Group>(); public Group All { get; init; } = null!; public Host? FindHost(string n) => null; public IReadOnlyList<string> Warnings { get; } = new List<string>(); }
public sealed class Host { public string Name { get; init; } = ""; public Dict Vars { get; init; } = new(); public IReadOnlyList<Group> Groups { get; init; } = new List<Group>(); public IEnumerable<Group> AllGroups() => Groups; }
public sealed class Group { public string Name { get; init; } = ""; public Dict Vars { get; init; } = new(); public IEnumerable<Host> AllHosts() => Array.Empty<Host>(); }
public sealed record VariableLayer(string Level, string Origin, Dict Vars) { public Runner.Engine.Errors.SourceLocation? OriginOf(string key) => null; }
public static class HostVariableLayers { public static List<VariableLayer> For(InventoryData inv, Host host, string? playbookDir) => new(); }
public static class InventoryLoader { public static InventoryData Load(IReadOnlyList<string> sources) => new(); }
public static class HostPattern { public static List<Host> Select(InventoryData inv, string pattern) => new(); }
public static class InventoryCommand { public static int Run(InventoryData inv, string mode, string? host, TextWriter output) => 0; }
