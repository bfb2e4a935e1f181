using System.Collections.Immutable;

namespace Berth.Cluster.Swarm;

/// <summary><c>/info</c>'s swarm part: the local status and, on a manager, the cluster, the counts and the managers.</summary>
public sealed record SwarmSummary(SwarmLocalStatus Local, ClusterView? Cluster, int Nodes, int Managers, ImmutableArray<ManagerPeer> RemoteManagers);

/// <summary>A manager as <c>RemoteManagers</c> lists it.</summary>
public sealed record ManagerPeer(string Node, string Address);
