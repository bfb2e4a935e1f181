namespace Berth.Cluster.Swarm;

/// <summary>A member's request for a certificate of its new role: a signing request for its new key, and its address.</summary>
public sealed record RenewRequest
{
    public required string SigningRequest { get; init; }

    public required string AdvertiseAddress { get; init; }
}
