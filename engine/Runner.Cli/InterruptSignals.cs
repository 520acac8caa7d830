using System.Runtime.InteropServices;

namespace Runner.Cli;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM cancel <see cref="Token"/> instead of killing the process, so the run can stop its
/// remote commands and print its recap (ansible-playbook turns SIGINT into "User interrupted execution", exit 99).
/// A second signal ends the process at once.
/// </summary>
public sealed class InterruptSignals : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration[] _registrations;

    /// <summary>Starts listening for SIGINT and SIGTERM.</summary>
    public InterruptSignals() =>
        _registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(s => PosixSignalRegistration.Create(s, OnSignal)).ToArray();

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cts.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (_cts.IsCancellationRequested) return; // the second one: the default action ends the process
        context.Cancel = true;
        _cts.Cancel();
    }

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cts.Dispose();
    }
}
