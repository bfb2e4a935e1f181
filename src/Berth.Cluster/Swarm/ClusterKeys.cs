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

    /// <summary>The new root's private key while a root rotation is under way (sealed as <see cref="CaKey"/>); it becomes the CA key when the rotation ends.</summary>
    public const string RotationCaKey = "swarm/ca-key-next";

    /// <summary>Held (on a lease of its own) by the manager restarting its etcd member for a root rotation: one at a time, so the quorum holds.</summary>
    public const string RotationRestart = "swarm/rotation-restart";

    public const string Nodes = "swarm/nodes/";

    /// <summary>Present while a node lives: bound to its lease.</summary>
    public const string Heartbeats = "swarm/heartbeats/";

    /// <summary>The leader manager's id, bound to its lease, created only if absent.</summary>
    public const string Leader = "swarm/leader";

    /// <summary>
    /// The endpoints of swarm-scoped networks, <c>net/endpoints/&lt;node&gt;/&lt;network&gt;/&lt;endpoint&gt;</c> (Berth.Network's
    /// <c>ClusterEndpoints</c>): each node writes its own, on a lease.
    /// </summary>
    public const string NetworkEndpoints = "net/endpoints/";

    /// <summary>Container address claims of swarm-scoped networks, <c>ipam/&lt;network&gt;/&lt;address&gt;</c> (Berth.Network's <c>AddressClaims</c>): any node attaching a container claims one.</summary>
    public const string AddressClaims = "ipam/";

    public static string Node(NodeId node) => Nodes + node.Value;

    public static string NetworkEndpointsOf(NodeId node) => NetworkEndpoints + node.Value + "/";

    public static string Heartbeat(NodeId node) => Heartbeats + node.Value;
}
