using System.Collections.Immutable;

namespace Berth.Cluster.Etcd;

/// <summary>How a manager's etcd member runs: where its data lives, which addresses it serves, whom it starts with.</summary>
public sealed record EtcdMemberOptions
{
    /// <summary>etcd's client port (IANA-registered).</summary>
    public const int DefaultClientPort = 2379;

    /// <summary>etcd's peer port (IANA-registered).</summary>
    public const int DefaultPeerPort = 2380;

    /// <summary>The etcd binary (Debian's etcd-server package installs /usr/bin/etcd).</summary>
    public string Binary { get; init; } = "etcd";

    /// <summary>The member's name: the node id, so that membership and nodes name each other alike.</summary>
    public required string Name { get; init; }

    /// <summary>etcd's data (<c>ROOT/swarm/etcd</c>); the pid and log files sit beside it.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Where clients reach this member: <c>https://ADVERTISE:2379</c>; it listens on that address only.</summary>
    public required Uri ClientUrl { get; init; }

    /// <summary>Where peers reach this member: <c>https://ADVERTISE:2380</c>.</summary>
    public required Uri PeerUrl { get; init; }

    /// <summary>The members the cluster has when this one first starts, this one included.</summary>
    public required ImmutableArray<EtcdPeer> InitialCluster { get; init; }

    /// <summary>False: this member founds a new cluster (<c>swarm init</c>); true: it joins one that already runs.</summary>
    public bool JoinExisting { get; init; }

    /// <summary>
    /// Start once as the only member of the cluster its data directory holds (etcd's <c>--force-new-cluster</c>: it
    /// commits a membership of itself alone and keeps every key), so a manager that lost its quorum for good can go
    /// on without the others (<c>swarm init --force-new-cluster</c>). Never for a member that runs on: a member
    /// restarted with it would drop any member added since.
    /// </summary>
    public bool ForceNewCluster { get; init; }

    /// <summary>Peers of another cluster with the same addresses refuse this one: the cluster id.</summary>
    public required string ClusterToken { get; init; }

    public required EtcdTlsFiles Tls { get; init; }

    /// <summary>How long a start may take before the member counts as failed.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public string PidFile => DataDirectory + ".pid";

    public string LogFile => DataDirectory + ".log";
}
