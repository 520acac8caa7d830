// TEMPORARY stub until the modules branch is merged.
using Runner.Engine.Modules;
namespace Runner.Modules;
public static class BuiltinModules { public static ModuleRegistry CreateRegistry() => new(); }
