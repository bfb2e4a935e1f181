using Berth.Cluster.Identity;

namespace Berth.Cluster.Swarm;

/// <summary>The cluster store's key layout (docs/cluster.md, "Two stores"); the store adds its <c>/berth/</c> prefix.</summary>
public static class ClusterKeys
{
    /// <summary>Where the cluster's keys live in etcd (the store's prefix).</summary>
    public const string StorePrefix = "/berth/";

    /// <summary>The cluster: id, spec, CA certificate, join-token secrets, address pool. <c>Version.Index</c> is its mod revision.</summary>
    public const string Cluster = "swarm/cluster";

    /// <summary>The CA's private key; managers sign join requests with it.</summary>
    public const string CaKey = "swarm/ca-key";

    public const string Nodes = "swarm/nodes/";

    /// <summary>Present while a node lives: bound to its lease.</summary>
    public const string Heartbeats = "swarm/heartbeats/";

    /// <summary>The leader manager's id, bound to its lease, created only if absent.</summary>
    public const string Leader = "swarm/leader";

    public static string Node(NodeId node) => Nodes + node.Value;

    public static string Heartbeat(NodeId node) => Heartbeats + node.Value;
}
