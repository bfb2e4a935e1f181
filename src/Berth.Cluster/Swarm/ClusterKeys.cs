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

    /// <summary>Present once the swarm's <c>ingress</c> network was made (at init): a user who removed it keeps it removed.</summary>
    public const string IngressCreated = "swarm/ingress-created";

    /// <summary>
    /// The endpoints of swarm-scoped networks, <c>net/endpoints/&lt;node&gt;/&lt;network&gt;/&lt;endpoint&gt;</c> (Berth.Network's
    /// <c>ClusterEndpoints</c>): each node writes its own, on a lease.
    /// </summary>
    public const string NetworkEndpoints = "net/endpoints/";

    /// <summary>Container address claims of swarm-scoped networks, <c>ipam/&lt;network&gt;/&lt;address&gt;</c> (Berth.Network's <c>AddressClaims</c>): any node attaching a container claims one.</summary>
    public const string AddressClaims = "ipam/";

    /// <summary>Services, <c>swarm/services/&lt;id&gt;</c> (Services' <c>ServiceRecord</c>), written by managers.</summary>
    public const string Services = "swarm/services/";

    /// <summary><c>swarm/service-names/&lt;name&gt;</c> → the service id: names are unique, claimed in the create's transaction.</summary>
    public const string ServiceNames = "swarm/service-names/";

    /// <summary>Tasks, <c>swarm/tasks/&lt;id&gt;</c> (<c>TaskRecord</c>), written by the leader's orchestrator only.</summary>
    public const string Tasks = "swarm/tasks/";

    /// <summary>Tasks' reported states, <c>swarm/task-status/&lt;node&gt;/&lt;task&gt;</c> (<c>TaskRunStatus</c>), each written by the node running the task.</summary>
    public const string TaskStatuses = "swarm/task-status/";

    public static string Node(NodeId node) => Nodes + node.Value;

    public static string NetworkEndpointsOf(NodeId node) => NetworkEndpoints + node.Value + "/";

    public static string Service(ServiceId service) => Services + service.Value;

    public static string ServiceName(string name) => ServiceNames + name;

    public static string Task(TaskId task) => Tasks + task.Value;

    public static string TaskStatusesOf(NodeId node) => TaskStatuses + node.Value + "/";

    public static string TaskStatus(NodeId node, TaskId task) => TaskStatusesOf(node) + task.Value;

    public static string Heartbeat(NodeId node) => Heartbeats + node.Value;
}
