using System.Collections.Immutable;

namespace Berth.Runtime.Engine;

/// <summary>One entry of <c>NetworkingConfig.EndpointsConfig</c>, kept as sent.</summary>
public sealed record EndpointSpec(string Network, string? IPv4Address = null, string? IPv6Address = null, string? MacAddress = null)
{
    public ImmutableArray<string> Aliases { get; init; } = [];

    /// <summary><c>--link NAME[:ALIAS]</c> on this network, as sent (on a user-defined network: aliases only this container resolves).</summary>
    public ImmutableArray<string> Links { get; init; } = [];

    /// <summary>
    /// Written at create for the network the container's mode names, not sent as an endpoint: a connect
    /// to that network before the first start replaces it (docker-compose disconnects and reconnects it with aliases).
    /// </summary>
    public bool Implied { get; init; }

    /// <summary>The swarm service whose task this container is (its endpoint is then one of the service's backends on the network); null otherwise.</summary>
    public string? ServiceId { get; init; }

    /// <summary>
    /// The endpoint starts out of its service's rotation (a task container: no VIP traffic before its process runs);
    /// whoever runs the task puts it in once the container has started.
    /// </summary>
    public bool OutOfRotation { get; init; }
}
