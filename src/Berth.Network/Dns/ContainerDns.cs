using System.Collections.Concurrent;
using Berth.Core.Concurrency;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Drivers;
using Berth.Network.Endpoints;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Dns;

/// <summary>
/// Keeps the embedded resolver in step with containers' endpoints: a container's names and addresses on
/// user-defined networks of drivers with embedded DNS (bridge, macvlan; not the predefined ones) are in the registry, and the
/// resolver's sockets are open in its namespace, exactly while it has at least one such endpoint.
/// Called by <see cref="Containers.ContainerNetworks"/> on start, connect, disconnect and release, and
/// by the container manager on rename and on restore after a berthd restart, and by the cluster's networking once a
/// cluster link makes swarm-scoped networks known (<see cref="SyncClusterEndpointsAsync"/>). One container's syncs
/// run one at a time, each reading its endpoints afresh, so the last one leaves its current names.
/// </summary>
public sealed class ContainerDns(DnsServer server, EndpointManager endpoints, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly KeyedLock<string> _containers = new(StringComparer.Ordinal);

    /// <summary>The name and namespace each container was last synced with, until it is forgotten.</summary>
    private readonly ConcurrentDictionary<string, (string Name, string NamespacePath)> _synced = new(StringComparer.Ordinal);

    public DnsServer Server => server;

    /// <summary>
    /// Registers the container's current endpoints under <paramref name="containerName"/> and serves it
    /// in <paramref name="namespacePath"/>: with fresh sockets when <paramref name="reopen"/> (a new
    /// namespace, or a berthd that has just started), else only when it was not served yet. A container
    /// left without user-defined endpoints is no longer served.
    /// </summary>
    public async Task SyncAsync(string containerId, string containerName, string namespacePath, bool reopen, CancellationToken cancellationToken = default)
    {
        using var held = await _containers.LockAsync(containerId, cancellationToken).ConfigureAwait(false);
        _synced[containerId] = (containerName, namespacePath);
        await SyncLockedAsync(containerId, containerName, namespacePath, reopen, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the container's resolver sockets and removes its names; nothing if it had none.</summary>
    public async Task ForgetAsync(string containerId)
    {
        using var held = await _containers.LockAsync(containerId).ConfigureAwait(false);
        _synced.TryRemove(containerId, out _);
        await StopServingAsync(containerId).ConfigureAwait(false);
    }

    /// <summary>
    /// Syncs again every container with an endpoint on a swarm-scoped network: a berthd that restarts restores its
    /// containers before its cluster link is back, when those networks are not known yet, so their names there (and,
    /// for a container on overlays only, the resolver's sockets) were left out. Called after each link is applied.
    /// </summary>
    public async Task SyncClusterEndpointsAsync(CancellationToken cancellationToken = default)
    {
        foreach (string containerId in _synced.Keys)
        {
            using var held = await _containers.LockAsync(containerId, cancellationToken).ConfigureAwait(false);
            // Forgotten meanwhile (released): nothing of it may be served again.
            if (!_synced.TryGetValue(containerId, out var synced) || !endpoints.OfContainer(containerId).Any(e => e.ClusterName is not null))
            {
                continue;
            }

            try
            {
                await SyncLockedAsync(containerId, synced.Name, synced.NamespacePath, reopen: false, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e)
            {
                _logger.ResyncFailed(containerId, e.Message);
            }
        }
    }

    private async Task SyncLockedAsync(string containerId, string containerName, string namespacePath, bool reopen, CancellationToken cancellationToken)
    {
        var records = new List<DnsEndpoint>();
        foreach (var endpoint in endpoints.OfContainer(containerId).Where(e => !e.Hidden))
        {
            NetworkState network;
            try
            {
                network = await endpoints.FindNetworkAsync(endpoint.NetworkId.Value, cancellationToken).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                continue;
            }

            if (IsUserDefined(network, endpoints.Drivers))
            {
                records.Add(DnsEndpoint.From(endpoint, containerName, network.Name));
            }
        }

        if (records.Count == 0)
        {
            await StopServingAsync(containerId).ConfigureAwait(false);
            return;
        }

        server.Registry.SetContainer(containerId, records);
        _logger.Registered(containerId, containerName, records.Count);
        if (reopen || !server.Attached.Contains(containerId))
        {
            using var netns = NetnsHandle.Open(namespacePath);
            await server.AttachAsync(containerId, netns, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StopServingAsync(string containerId)
    {
        server.Registry.RemoveContainer(containerId);
        await server.DetachAsync(containerId).ConfigureAwait(false);
    }

    /// <summary>
    /// Docker's embedded DNS serves user-defined networks only (not the default bridge, host or none), of drivers that
    /// declare <see cref="NetworkDriverCapabilities.EmbeddedDns"/>.
    /// </summary>
    public static bool IsUserDefined(NetworkState network, NetworkDriverRegistry drivers)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(drivers);
        return !network.Predefined && drivers.CapabilitiesOf(network).EmbeddedDns;
    }
}
