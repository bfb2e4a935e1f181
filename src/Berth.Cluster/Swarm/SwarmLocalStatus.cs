using Berth.Cluster.Identity;

namespace Berth.Cluster.Swarm;

/// <summary>Where this node stands (<c>/info</c>'s <c>LocalNodeState</c>, the <c>Swarm</c> header of <c>/_ping</c>).</summary>
public enum SwarmLocalState
{
    Inactive,

    /// <summary>In a swarm, not connected yet (starting its member, or the managers do not answer).</summary>
    Pending,
    Active,
    Error,
}

/// <summary>This node's part in a swarm, answered without asking the cluster.</summary>
public sealed record SwarmLocalStatus(SwarmLocalState State, NodeId? Node, string NodeAddress, ClusterRole? Role, string Error)
{
    public static readonly SwarmLocalStatus Inactive = new(SwarmLocalState.Inactive, null, "", null, "");

    public bool IsManager => Role == ClusterRole.Manager && State == SwarmLocalState.Active;
}
