using System.Collections.Immutable;
using Berth.Core.Containers;
using Berth.Core.Networks;
using Berth.Core.Ports;
using Berth.Network.Endpoints;

namespace Berth.Runtime.Engine;

/// <summary>What the API reads about containers, from the records' cache and the services that own the rest: never blocks on container work.</summary>
public sealed class ContainerQueries(ContainerRecords records, EndpointManager endpoints, ContainerPorts ports, HealthMonitors health, ContainerLinks links) : IContainerQueries
{
    public IReadOnlyList<ContainerRecord> List() => [.. records.All.Values.OrderByDescending(c => c.Created)];

    public ContainerRecord Get(string idOrName) => records.Find(idOrName);

    public ContainerRecord? TryGet(ContainerId id) => records.TryGet(id);

    /// <summary>The container's networks as Docker shows them: without the gateway bridge's endpoint, as Docker hides docker_gwbridge.</summary>
    public IReadOnlyList<EndpointState> EndpointsOf(ContainerId id) => [.. endpoints.OfContainer(id.Value).Where(e => !e.Hidden)];

    public IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> EndpointsOn(NetworkId network)
    {
        var all = records.All;
        return [.. endpoints.OfNetwork(network)
            .Select(e => (Container: ContainerId.TryParse(e.ContainerId, out var id) ? all.GetValueOrDefault(id) : null, Endpoint: e))
            .Where(p => p.Container is { Status: ContainerStatus.Running })
            .Select(p => (p.Container!, p.Endpoint))];
    }

    public ImmutableArray<ContainerPort> ExposedPortsOf(ContainerRecord record) => ports.ExposedPortsOf(record);

    public HealthState? HealthOf(ContainerId id) => health.HealthOf(id);

    public IReadOnlyList<string>? LegacyLinksOf(ContainerRecord record) => links.Shown(record);
}
