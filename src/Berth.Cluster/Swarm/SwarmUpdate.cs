namespace Berth.Cluster.Swarm;

/// <summary><c>POST /swarm/update</c>: the new spec and which join tokens to rotate.</summary>
public sealed record SwarmUpdate(ClusterSpecRecord Spec, bool RotateWorkerToken, bool RotateManagerToken);
