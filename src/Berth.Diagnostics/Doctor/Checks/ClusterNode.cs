namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// A swarm node as the cluster checks see it: id (empty where a worker knows only a manager's address), name, the
/// address other nodes reach it at, whether it is a manager, this node, or down by the cluster's heartbeats, and its
/// etcd member's client URL (a manager's; null in an external store).
/// </summary>
public sealed record ClusterNode(string Id, string Name, string Address, bool Manager, bool Self, bool Down, Uri? EtcdClientUrl)
{
    /// <summary>How findings name it: <c>node2 (10.88.0.12)</c>, or the address alone when the name is unknown.</summary>
    public string Subject => Name.Length == 0 ? Address : $"{Name} ({Address})";
}
