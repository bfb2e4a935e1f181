using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;

namespace Berth.Network.Endpoints;

/// <summary>What a container asks of one network (Docker's EndpointSettings request side).</summary>
public sealed record EndpointRequest
{
    /// <summary>The network's id, name or unique id prefix.</summary>
    public required string Network { get; init; }

    /// <summary><c>--ip</c>: only on networks with a user-configured subnet.</summary>
    public IPAddress? IPv4Address { get; init; }

    /// <summary><c>--ip6</c>.</summary>
    public IPAddress? IPv6Address { get; init; }

    /// <summary>An address to take again when it is free (the one a restarted container had); unlike <see cref="IPv4Address"/> never an error.</summary>
    public IPAddress? PreferredIPv4Address { get; init; }

    public IPAddress? PreferredIPv6Address { get; init; }

    /// <summary><c>--mac-address</c>; by default derived from the IPv4 address as Docker does (02:42:a:b:c:d).</summary>
    public PhysicalAddress? MacAddress { get; init; }

    public ImmutableArray<string> Aliases { get; init; } = [];

    /// <summary><c>--link</c> aliases only this container resolves on this network.</summary>
    public ImmutableArray<EndpointLink> Links { get; init; } = [];

    /// <summary>Whether this network gives the container its default route (the first network does).</summary>
    public bool DefaultRoute { get; init; } = true;

    /// <summary>An endpoint the daemon adds for the container's way out (Docker's <c>docker_gwbridge</c>), not one the user asked for.</summary>
    public bool Hidden { get; init; }

    /// <summary>The swarm service whose task this container is: its endpoint is one of the service's backends (Berth.Network.Services).</summary>
    public string? ServiceId { get; init; }

    /// <summary>The endpoint is made out of its service's rotation (<see cref="EndpointState.OutOfRotation"/>).</summary>
    public bool OutOfRotation { get; init; }
}
