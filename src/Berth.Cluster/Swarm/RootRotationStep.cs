namespace Berth.Cluster.Swarm;

/// <summary>What a manager does next about a root rotation, from what the nodes report (<see cref="RootRotationPlan.Next"/>).</summary>
public enum RootRotationStep
{
    /// <summary>No rotation, or some node has not caught up (a Down node is waited for, as Docker waits).</summary>
    Wait,

    /// <summary>Every node trusts the new root: certificates may now come from it.</summary>
    IssueFromNewRoot,

    /// <summary>Every node has a certificate of the new root: the old root goes, the join tokens change.</summary>
    Finish,
}
