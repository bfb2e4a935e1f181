using System.Collections.Immutable;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Core.Ports;
using Berth.Network.Endpoints;
using Berth.Runtime.Engine;

namespace Berth.Diagnostics.Tests;

/// <summary>Containers and their endpoints as given, read-only.</summary>
internal sealed class StubContainers(IReadOnlyList<ContainerRecord> containers, IReadOnlyList<EndpointState> endpoints) : IContainerQueries
{
    public StubContainers()
        : this([], [])
    {
    }

    public IReadOnlyList<ContainerRecord> List() => containers;

    public ContainerRecord Get(string idOrName) =>
        containers.FirstOrDefault(c => c.Name == idOrName || c.Id.Value == idOrName)
        ?? throw new BerthException(ErrorKind.NotFound, $"No such container: {idOrName}");

    public ContainerRecord? TryGet(ContainerId id) => containers.FirstOrDefault(c => c.Id == id);

    public IReadOnlyList<EndpointState> EndpointsOf(ContainerId id) => [.. endpoints.Where(e => e.ContainerId == id.Value)];

    public IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> EndpointsOn(NetworkId network) =>
        [.. endpoints.Where(e => e.NetworkId == network).Select(e => (containers.First(c => c.Id.Value == e.ContainerId), e))];

    public ImmutableArray<ContainerPort> ExposedPortsOf(ContainerRecord record) => [];

    public HealthState? HealthOf(ContainerId id) => null;

    public IReadOnlyList<string>? LegacyLinksOf(ContainerRecord record) => null;
}
