using System.Collections.Immutable;

namespace Berth.Cluster.Swarm;

/// <summary><c>docker swarm init</c>'s choices.</summary>
public sealed record SwarmInitOptions
{
    public string ListenAddress { get; init; } = "0.0.0.0:2377";

    /// <summary>An IP, <c>IP:PORT</c> or an interface name; empty: the one address this host has.</summary>
    public string AdvertiseAddress { get; init; } = "";

    public string DataPathAddress { get; init; } = "";

    public ImmutableArray<string> DefaultAddrPool { get; init; } = [];

    public int SubnetSize { get; init; }

    public int DataPathPort { get; init; }

    public ClusterSpecRecord Spec { get; init; } = new();

    public NodeAvailability Availability { get; init; } = NodeAvailability.Active;

    /// <summary>
    /// <c>--force-new-cluster</c>: on a manager of a swarm that lost its quorum, go on as the only manager with
    /// everything the cluster held; outside a swarm it is an ordinary init, as Docker's.
    /// </summary>
    public bool ForceNewCluster { get; init; }
}
