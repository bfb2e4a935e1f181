using System.Collections.Immutable;
using Berth.Core.Containers;
using Berth.Core.Networks;
using Berth.Core.Ports;
using Berth.Network.Endpoints;

namespace Berth.Runtime.Engine;

/// <summary>What the API reads about containers: records, their endpoints, ports, health and links. Never blocks on container work.</summary>
public interface IContainerQueries
{
    /// <summary>Every container, newest first.</summary>
    IReadOnlyList<ContainerRecord> List();

    /// <summary>By full id, name or unique id prefix (Docker's rules); NotFound otherwise.</summary>
    ContainerRecord Get(string idOrName);

    /// <summary>By id; null once it is removed.</summary>
    ContainerRecord? TryGet(ContainerId id);

    /// <summary>The endpoints of a running container, for inspect.</summary>
    IReadOnlyList<EndpointState> EndpointsOf(ContainerId id);

    /// <summary>The running containers' endpoints on a network (network inspect's <c>Containers</c>).</summary>
    IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> EndpointsOn(NetworkId network);

    ImmutableArray<ContainerPort> ExposedPortsOf(ContainerRecord record);

    HealthState? HealthOf(ContainerId id);

    IReadOnlyList<string>? LegacyLinksOf(ContainerRecord record);
}
