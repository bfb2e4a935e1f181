namespace Berth.Cluster.Swarm;

/// <summary>
/// How far a root rotation got. A node presents a certificate of the new root only once every node trusts it, so the
/// rotation first spreads the trust, then the certificates; it ends (the old root dropped) when every node has one.
/// </summary>
public enum RootRotationPhase
{
    /// <summary>Every node is to trust both roots (a manager restarts its etcd member with the bundle); new certificates still come from the old root.</summary>
    Trust,

    /// <summary>Every node trusts both: certificates now come from the new root, and every node asks for one.</summary>
    Certificates,
}
