using System.Collections.Immutable;
using System.Net;
using Berth.Store;

namespace Berth.Network.Cluster;

/// <summary>
/// What the network layer needs of this node's live cluster session: the cluster store (with leases), who this node
/// is, the address its VXLAN endpoints use (the data path address, else the advertise address) and the cluster's
/// pool for swarm-scoped subnets. Made by the daemon from the swarm's session; null while the node is in none.
/// </summary>
public sealed record ClusterLink
{
    public required IStateStore Store { get; init; }

    public required ILeaseStore Leases { get; init; }

    public required string NodeId { get; init; }

    /// <summary>Managers create and remove swarm-scoped networks; workers use them.</summary>
    public required bool Manager { get; init; }

    /// <summary>This node's tunnel endpoint: the source of its VXLAN packets and where other nodes send theirs.</summary>
    public required IPAddress Vtep { get; init; }

    /// <summary>The UDP port of the data path (<c>swarm init --data-path-port</c>, 4789 by default).</summary>
    public ushort DataPathPort { get; init; } = 4789;

    /// <summary>The pools swarm-scoped subnets come from (<c>swarm init --default-addr-pool</c>), and each subnet's prefix length.</summary>
    public ImmutableArray<IPNetwork> DefaultAddressPools { get; init; } = [IPNetwork.Parse("10.0.0.0/8")];

    public int SubnetSize { get; init; } = 24;
}
