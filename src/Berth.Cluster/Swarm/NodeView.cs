namespace Berth.Cluster.Swarm;

/// <summary>Whether a node's heartbeat lives.</summary>
public enum NodeLiveness
{
    Unknown,
    Ready,
    Down,
}

/// <summary>A manager's standing: leader or not, whether its etcd member answers, its cluster address (<c>IP:2377</c>).</summary>
public sealed record ManagerView(bool Leader, bool Reachable, string Address);

/// <summary>A node as <c>node ls</c>/<c>node inspect</c> show it: the record, its version, liveness, (managers) standing and the TLS it reports while alive.</summary>
public sealed record NodeView(NodeRecord Record, long Version, NodeLiveness Liveness, ManagerView? Manager, NodeTlsReport? Tls = null);
