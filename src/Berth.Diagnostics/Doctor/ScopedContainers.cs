using Berth.Core.Networks;
using Berth.Network.Endpoints;
using Berth.Runtime.Engine;

namespace Berth.Diagnostics.Doctor;

/// <summary>
/// The networks and running containers a check looks at for a scope: every network, one network, or the networks of
/// one container; and where a running container's namespace and files are seen from berthd (through <c>/proc</c>).
/// </summary>
public static class ScopedContainers
{
    /// <summary>The networks of the scope, by name.</summary>
    public static async Task<IReadOnlyList<NetworkState>> NetworksAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(scope);
        var all = await sources.Networks.ListAsync(cancellationToken).ConfigureAwait(false);
        var ofContainer = scope.Container is null ? null : sources.Containers.EndpointsOf(scope.Container.Id).Select(e => e.NetworkId).ToHashSet();
        return [.. all.Where(n => scope.Includes(n, ofContainer)).OrderBy(n => n.Name, StringComparer.Ordinal)];
    }

    /// <summary>The running containers with an endpoint of their own on <paramref name="network"/> (not a node's entry, not a hidden way out), by name.</summary>
    public static IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> RunningOn(DiagnosticSources sources, NetworkId network)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return [.. sources.Containers.EndpointsOn(network)
            .Where(p => IsRunning(p.Container) && !p.Endpoint.Hidden && !p.Endpoint.NodeEntry)
            .OrderBy(p => p.Container.Name, StringComparer.Ordinal)];
    }

    public static bool IsRunning(ContainerRecord container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return container.Status == ContainerStatus.Running && container.Pid > 0 && !container.Paused;
    }

    /// <summary>The running container's network namespace, as berthd opens it.</summary>
    public static string NamespacePath(ContainerRecord container)
    {
        ArgumentNullException.ThrowIfNull(container);
        return $"/proc/{container.Pid}/ns/net";
    }

    /// <summary>A file as the running container sees it (its root, through berthd's <c>/proc</c>).</summary>
    public static string FilePath(ContainerRecord container, string path)
    {
        ArgumentNullException.ThrowIfNull(container);
        return $"/proc/{container.Pid}/root/{path.TrimStart('/')}";
    }
}
