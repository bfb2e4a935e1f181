namespace Berth.Cluster.Swarm;

/// <summary>
/// <c>POST /swarm/update</c>: the new spec, which join tokens to rotate and, for <c>swarm ca --rotate --ca-cert --ca-key</c>,
/// the root to rotate to (PEM; null when none is given).
/// </summary>
public sealed record SwarmUpdate(ClusterSpecRecord Spec, bool RotateWorkerToken, bool RotateManagerToken)
{
    public string? SigningCaCertificate { get; init; }

    public string? SigningCaKey { get; init; }
}
