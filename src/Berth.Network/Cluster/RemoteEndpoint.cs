using System.Collections.Immutable;
using System.Net;
using Berth.Core.Networks;

namespace Berth.Network.Cluster;

/// <summary>
/// A container's endpoint on a swarm-scoped network as the cluster store holds it (<c>net/endpoints/&lt;node&gt;/&lt;network&gt;/&lt;endpoint&gt;</c>),
/// bound to its node's lease: what other nodes program (tunnel, MAC, address) and what their resolvers answer (names).
/// </summary>
public sealed record RemoteEndpoint
{
    public required string Node { get; init; }

    /// <summary>The node's tunnel endpoint address.</summary>
    public required IPAddress Vtep { get; init; }

    public required NetworkId NetworkId { get; init; }

    public required string EndpointId { get; init; }

    public required string ContainerId { get; init; }

    /// <summary>Without Docker's leading slash.</summary>
    public required string ContainerName { get; init; }

    /// <summary>aa:bb:cc:dd:ee:ff.</summary>
    public required string MacAddress { get; init; }

    public IPAddress? IPv4 { get; init; }

    public IPAddress? IPv6 { get; init; }

    public ImmutableArray<string> Aliases { get; init; } = [];

    /// <summary>
    /// The swarm service whose task the container is: the endpoint is one of its backends on the network (unless
    /// <see cref="OutOfRotation"/>); null otherwise.
    /// </summary>
    public string? ServiceId { get; init; }

    /// <summary>The task is out of its service's rotation (not running yet, unhealthy, or about to stop): no backend.</summary>
    public bool OutOfRotation { get; init; }

    /// <summary>A node's own endpoint (its entry into the ingress overlay), not a container's: no names, not a user of the network.</summary>
    public bool NodeEntry { get; init; }
}
