namespace Berth.Api.Contracts;

/// <summary><c>GET /swarm/unlockkey</c>: <c>SWMKEY-1-…</c>, empty when autolock is off.</summary>
public sealed class SwarmUnlockKeyResponse
{
    public string UnlockKey { get; set; } = "";
}
