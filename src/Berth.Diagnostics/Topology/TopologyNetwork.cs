using System.Collections.Immutable;

namespace Berth.Diagnostics.Topology;

/// <summary>
/// One network: its identity and addressing, what its driver made on this host (<see cref="Network.Drivers.NetworkHostView"/>'s
/// facts), the containers on it here, the nodes with endpoints on it and, on a manager, the service tasks on it per node.
/// </summary>
public sealed record TopologyNetwork
{
    public required string Name { get; init; }

    public required string Id { get; init; }

    public required string Driver { get; init; }

    public required string Scope { get; init; }

    public bool Internal { get; init; }

    public bool Ingress { get; init; }

    /// <summary>Subnets as CIDR.</summary>
    public ImmutableArray<string> Subnets { get; init; } = [];

    public ImmutableArray<string> Gateways { get; init; } = [];

    public string? Bridge { get; init; }

    public string? Parent { get; init; }

    public bool ParentMadeByBerth { get; init; }

    public string? Mode { get; init; }

    public string? HostShim { get; init; }

    public ImmutableArray<string> HostShimAddresses { get; init; } = [];

    public bool HostReachesContainers { get; init; }

    public int? Mtu { get; init; }

    public string? Sandbox { get; init; }

    public uint? Vni { get; init; }

    public ImmutableArray<TopologyContainer> Containers { get; init; } = [];

    /// <summary>Nodes with endpoints on a swarm-scoped network (name, tunnel address), as this node knows them.</summary>
    public ImmutableArray<TopologyPeer> Peers { get; init; } = [];

    /// <summary>Service tasks on the network, ordered by node then service and slot (a manager's view).</summary>
    public ImmutableArray<TopologyTask> Tasks { get; init; } = [];
}
