using Runner.Cli;
using Runner.Engine.Errors;
using Runner.Engine.Templating;

// runner: Ansible-compatible agentless configuration runner. Commands: play, inventory, vars, facts, doc, vault, galaxy, version.
Runner.Engine.Yaml.YamlLoader.Warned += w => Console.Error.WriteLine(Runner.Engine.Results.WarningText.Format(w));
Runner.Engine.Vault.VaultKeyring.FormatWarning += w => Console.Error.WriteLine($"\n[WARNING]: \n{w}");
try
{
    if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
    {
        Console.WriteLine(Usage.Text);
        return args.Length == 0 ? ExitCodes.BadCommandLine : ExitCodes.Ok;
    }
    var rest = args.Skip(1).ToList();
    return args[0] switch
    {
        "play" => await PlayCommand.RunAsync(rest),
        "inventory" => InventoryCli.Run(rest),
        "vars" => VarsCommand.Run(rest, Console.Out),
        "facts" => await FactsCommand.RunAsync(rest, Console.Out),
        "doc" => DocCommand.Run(rest, Console.Out),
        "vault" => VaultCommand.Run(rest, Console.Out),
        "galaxy" => await GalaxyCommand.RunAsync(rest),
        "version" or "--version" => Usage.Version(),
        _ => Usage.Unknown(args[0]),
    };
}
catch (Runner.Cli.Parsing.UsageError e)
{
    Console.Error.WriteLine(e.Text);
    return e.ExitCode;
}
catch (RunnerException e)
{
    Console.Error.WriteLine(e.Describe());
    return e.ExitCode;
}
catch (TemplateError e)
{
    Console.Error.WriteLine($"ERROR! {e.Message}");
    return ExitCodes.Error;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("ERROR! User interrupted execution");
    return ExitCodes.Interrupted;
}
catch (Exception e)
{
    Console.Error.WriteLine($"ERROR! Unexpected error: {e.GetType().Name}: {e.Message}");
    if (Environment.GetEnvironmentVariable("RUNNER_DEBUG") is not null) Console.Error.WriteLine(e);
    return ExitCodes.Unexpected;
}
