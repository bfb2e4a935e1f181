using System.Collections.Immutable;
using System.Net;
using Berth.Core.Addressing;
using Berth.Core.Networks;

namespace Berth.Network.Endpoints;

/// <summary>A container's attachment to one network: what was allocated and what the driver made.</summary>
public sealed record EndpointState
{
    /// <summary>64 hex digits, as Docker's EndpointID.</summary>
    public required string EndpointId { get; init; }

    public required string ContainerId { get; init; }

    public required NetworkId NetworkId { get; init; }

    /// <summary>The interface inside the container (eth0, eth1, …).</summary>
    public required string InterfaceName { get; init; }

    public IPPrefix? IPv4 { get; init; }

    public IPPrefix? IPv6 { get; init; }

    public IPAddress? Gateway { get; init; }

    public IPAddress? IPv6Gateway { get; init; }

    /// <summary>aa:bb:cc:dd:ee:ff.</summary>
    public required string MacAddress { get; init; }

    /// <summary>The host side of a bridge endpoint's veth; null for macvlan.</summary>
    public string? HostInterface { get; init; }

    public bool DefaultRoute { get; init; }

    /// <summary>Whether the address was asked for (kept across restarts) rather than picked.</summary>
    public bool StaticAddress { get; init; }

    public ImmutableArray<string> Aliases { get; init; } = [];

    /// <summary>
    /// On a swarm-scoped network: the container's name as this node publishes the endpoint to the cluster (other nodes
    /// resolve it); null on local networks. A record kept while the cluster is out of reach (a restart) is published
    /// again from this.
    /// </summary>
    public string? ClusterName { get; init; }

    /// <summary>
    /// Added by the daemon for the container's way out (Docker's <c>docker_gwbridge</c> beside overlay networks): not among
    /// the container's networks in <c>inspect</c>, no names in the resolver or /etc/hosts.
    /// </summary>
    public bool Hidden { get; init; }

    /// <summary>
    /// On a swarm-scoped network: the network's name (never changed), for views of the container while this node does
    /// not know the cluster's networks (a berthd whose cluster link is not back yet); null on local networks.
    /// </summary>
    public string? ClusterNetworkName { get; init; }

    /// <summary><c>--link</c> aliases only this container resolves on this network.</summary>
    public ImmutableArray<EndpointLink> Links { get; init; } = [];

    /// <summary>The swarm service whose task this container is (published with the endpoint's cluster record); null otherwise.</summary>
    public string? ServiceId { get; init; }

    /// <summary>
    /// A task container out of its service's rotation (not started yet, unhealthy, or stopping): its cluster record is
    /// published marked so (<c>RemoteEndpoint.OutOfRotation</c>), so it stays reachable by address but is no backend (no
    /// VIP traffic, not in tasks.*); its service stays named, so a network's removal knows it for a leaving task.
    /// </summary>
    public bool OutOfRotation { get; init; }

    /// <summary>
    /// The node's own endpoint on the network (its host namespace's entry into the ingress overlay), not a container's:
    /// no names, never a service backend, and not a user that keeps the network from being removed.
    /// </summary>
    public bool NodeEntry { get; init; }
}
