namespace Berth.Cluster.Swarm;

/// <summary>
/// What a joining node sends a manager over TLS on port 2377 (after it has pinned the manager's CA by the token's
/// digest): the token, a certificate request for a key that never leaves it, and what it is.
/// </summary>
public sealed record JoinRequest
{
    public required string Token { get; init; }

    /// <summary>PKCS #10, PEM.</summary>
    public required string SigningRequest { get; init; }

    public required SwarmHostFacts Host { get; init; }

    public required string AdvertiseAddress { get; init; }

    public string DataPathAddress { get; init; } = "";

    public NodeAvailability Availability { get; init; } = NodeAvailability.Active;

    /// <summary>The etcd cluster id of the joiner's <c>--cluster-store</c>; null without one. The swarm's must match.</summary>
    public string? ClusterStoreId { get; init; }
}
