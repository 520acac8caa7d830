using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;
using Runner.Engine.Modules;
using Runner.Engine.Values;
using Runner.Modules.Common;

namespace Runner.Modules;

/// <summary>
/// ansible.builtin.pause (https://docs.ansible.com/ansible/2.14/collections/ansible/builtin/pause_module.html), on the
/// controller as 2.14's action plugin: once for the first host of the batch (BYPASS_HOST_LOOP: only that host
/// registers the result), check mode or not.
/// <list type="bullet">
/// <item>seconds or minutes (mutually exclusive; Python's int() of the value, so 1.7 is 1; less than a second is one
/// second): prints "Pausing for N seconds" and "(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)", then
/// the prompt when one is given, and waits that long.</item>
/// <item>Otherwise prints the prompt ("[TASK NAME]\nPROMPT:", default "Press enter to continue, Ctrl+C to interrupt";
/// " (output is hidden)" appended when echo is false) and reads a line from a terminal stdin (user_input).</item>
/// <item>When stdin is not a terminal (CI): a timed pause still waits; a prompt does not wait, with the warning "Not
/// waiting for response to prompt as stdin is not interactive".</item>
/// </list>
/// Result: changed false, rc 0, stdout "Paused for D seconds|minutes" (rounded to 2 places), stderr "", start and stop
/// (local time, Python's str(datetime)), delta (whole seconds), echo, user_input.
/// Differs from Ansible: Ctrl+C during a pause interrupts the run (Runner's interrupt) instead of asking "C" or "A";
/// the terminal is read line by line (no raw mode, backspace is the terminal's).
/// </summary>
public sealed class PauseModule : PlanningModule
{
    /// <inheritdoc/>
    public override string Name => "pause";

    /// <inheritdoc/>
    public override ModuleSpec Spec { get; } = new(new OptionSpec[]
    {
        new("echo", OptionType.Bool, Default: true), new("minutes", OptionType.Raw), new("seconds", OptionType.Raw),
        new("prompt"),
    }, RunsOnController: true)
    {
        MutuallyExclusive = new[] { new[] { "minutes", "seconds" } },
        Invocation = null,
        BypassHostLoop = true,
        ArgumentErrorFields = ModuleSpec.ActionFailureFields,
        SupportsAsync = false,
    };

    /// <summary>Whether stdin is a terminal a prompt can be answered on (Ansible also wants the foreground process group).</summary>
    public static Func<bool> Interactive { get; set; } = () => !Console.IsInputRedirected;

    /// <inheritdoc/>
    public override async Task<Plan> PlanAsync(PlanContext ctx, CancellationToken ct)
    {
        var a = ctx.Args;
        long? minutes, seconds;
        try
        {
            minutes = PyInt(a.GetValueOrDefault("minutes"), "minutes");
            seconds = PyInt(a.GetValueOrDefault("seconds"), "seconds");
        }
        catch (FormatException e) { return Plan.Fail(e.Message, new Dict { ["exception"] = ModuleSpec.ActionFailureFields["exception"] }); }
        var echo = a.Bool("echo", true);
        var hidden = echo ? "" : " (output is hidden)";
        var prompt = $"[{ctx.TaskName.Trim()}]\n{(a.Str("prompt") is { Length: > 0 } p ? p : "Press enter to continue, Ctrl+C to interrupt")}{hidden}:";
        var unit = seconds is null ? "minutes" : "seconds";
        var wait = minutes is not null ? minutes * 60 : seconds;

        var start = DateTime.Now;
        var clock = Stopwatch.StartNew();
        var input = "";
        if (wait is not null)
        {
            wait = Math.Max(1, wait.Value);
            ctx.Display($"Pausing for {wait} seconds{hidden}");
            ctx.Display("(ctrl+C then 'C' = continue early, ctrl+C then 'A' = abort)\r");
            if (a.Str("prompt") is { Length: > 0 }) ctx.Display(prompt);
            await WaitUntilAsync(clock, TimeSpan.FromSeconds(wait.Value), ct);
        }
        else
        {
            ctx.Display(prompt);
            if (Interactive()) input = await ReadLineAsync(echo, ct);
            else ctx.Warn("Not waiting for response to prompt as stdin is not interactive");
        }
        var duration = clock.Elapsed.TotalSeconds;
        var shown = Math.Round(unit == "minutes" ? duration / 60.0 : duration, 2, MidpointRounding.ToEven);
        return Plan.Ok(new Dict
        {
            ["changed"] = false, ["rc"] = 0L, ["stderr"] = "", ["stdout"] = $"Paused for {PyStr.Float(shown)} {unit}",
            ["start"] = PyDateTime(start), ["stop"] = PyDateTime(DateTime.Now), ["delta"] = (long)duration, ["echo"] = echo,
            ["user_input"] = input,
        });
    }

    /// <summary>Waits until <paramref name="clock"/> shows <paramref name="target"/>, to the millisecond as Ansible's
    /// SIGALRM does (a timer alone may wake tens of milliseconds late on a busy controller: "Paused for 1.01 seconds").</summary>
    private static async Task WaitUntilAsync(Stopwatch clock, TimeSpan target, CancellationToken ct)
    {
        var coarse = target - clock.Elapsed - TimeSpan.FromMilliseconds(50);
        if (coarse > TimeSpan.Zero) await Task.Delay(coarse, ct);
        while (clock.Elapsed < target)
        {
            ct.ThrowIfCancellationRequested();
            Thread.Sleep(1);
        }
    }

    /// <summary>Python's int() of an option value (the action's argument spec uses int as the type), or null when absent.</summary>
    /// <exception cref="FormatException">Ansible's message for a value int() refuses.</exception>
    private static long? PyInt(object? v, string name)
    {
        switch (v)
        {
            case null: return null;
            case long l: return l;
            case int i: return i;
            case bool b: return b ? 1 : 0;
            case double d when !double.IsNaN(d) && !double.IsInfinity(d): return (long)Math.Truncate(d);
            case string s when BigInteger.TryParse(s.Trim().Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                               && !s.Contains("__") && !s.Trim().StartsWith('_') && !s.Trim().EndsWith('_'):
                return (long)n;
        }
        var type = v is string ? "<class 'ansible.parsing.yaml.objects.AnsibleUnicode'>" : ArgumentValidator.PyType(v);
        var why = v is string str ? $"invalid literal for int() with base 10: {PyStr.Repr(str)}"
            : $"int() argument must be a string, a bytes-like object or a real number, not '{type[8..^2]}'";
        throw new FormatException($"argument '{name}' is of type {type} and we were unable to convert to int: {why}");
    }

    /// <summary>Python's str(datetime): microseconds only when not zero.</summary>
    private static string PyDateTime(DateTime t) =>
        t.ToString(t.Ticks % TimeSpan.TicksPerSecond / 10 == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>A line from the terminal; with echo off the keys are not shown.</summary>
    private static Task<string> ReadLineAsync(bool echo, CancellationToken ct) => Task.Run(() =>
    {
        if (echo) return Console.ReadLine() ?? "";
        var line = new StringBuilder();
        while (!ct.IsCancellationRequested)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (line.Length > 0) line.Length--; continue; }
            line.Append(key.KeyChar);
        }
        Console.WriteLine();
        return line.ToString();
    }, ct);
}
