using System.Collections.Immutable;

namespace Berth.Cluster.Swarm;

/// <summary><c>docker swarm join --token T HOST:2377</c>'s choices.</summary>
public sealed record SwarmJoinOptions
{
    public required string Token { get; init; }

    /// <summary>Managers to ask, <c>HOST[:PORT]</c> (2377 when no port).</summary>
    public required ImmutableArray<string> RemoteAddresses { get; init; }

    public string ListenAddress { get; init; } = "0.0.0.0:2377";

    public string AdvertiseAddress { get; init; } = "";

    public string DataPathAddress { get; init; } = "";

    public NodeAvailability Availability { get; init; } = NodeAvailability.Active;
}
