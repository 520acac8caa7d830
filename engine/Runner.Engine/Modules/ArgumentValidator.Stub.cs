// TEMPORARY stub until the modules branch is merged.
using Runner.Engine.Values;
namespace Runner.Engine.Modules;
public static class ArgumentValidator { public static Dict Validate(ModuleSpec spec, Dict args, string moduleName) => args; }
