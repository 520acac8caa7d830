using Runner.Engine.Connections;

namespace Runner.Modules.Cloud.Kubernetes;

/// <summary>
/// A KubernetesClient for one task and, when the API server is reached through the node's SSH connection, the port
/// forward it goes through. Disposing it disposes the client, then closes the forward.
/// </summary>
public sealed class K8sClientHandle : IAsyncDisposable
{
    /// <summary>Wraps <paramref name="client"/>; <paramref name="forward"/> (or null) is closed on dispose.</summary>
    public K8sClientHandle(k8s.Kubernetes client, IPortForward? forward = null)
    {
        Client = client;
        Forward = forward;
    }

    /// <summary>The client (its BaseUri is the forward's local end when <see cref="Forward"/> is set).</summary>
    public k8s.Kubernetes Client { get; }

    /// <summary>The SSH port forward to the API server, or null for a direct connection.</summary>
    public IPortForward? Forward { get; }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (Forward is not null) await Forward.DisposeAsync();
    }
}
