namespace Berth.Cluster.Swarm;

/// <summary>The cluster record and its version (the etcd mod revision an update must name).</summary>
public sealed record ClusterView(ClusterRecord Record, long Version);
