using System.Collections.Immutable;
using System.Net;
using Berth.Core.Networks;
using Berth.Network.Endpoints;

namespace Berth.Network.Dns;

/// <summary>
/// What the resolver knows of one container on one network: the names it answers to there
/// (container name, aliases, short id) and its addresses on that network.
/// </summary>
public sealed record DnsEndpoint
{
    /// <summary>Length of the short container id Docker registers as a name (the <c>docker ps</c> id).</summary>
    public const int ShortIdLength = 12;

    public required string ContainerId { get; init; }

    /// <summary>The container's name without Docker's leading slash.</summary>
    public required string ContainerName { get; init; }

    public required NetworkId NetworkId { get; init; }

    public required string NetworkName { get; init; }

    /// <summary><c>--network-alias</c>, compose service names and <c>--link</c> aliases on this network.</summary>
    public ImmutableArray<string> Aliases { get; init; } = [];

    /// <summary>This container's own <c>--link</c> aliases on this network: names only it resolves.</summary>
    public ImmutableArray<EndpointLink> Links { get; init; } = [];

    public IPAddress? IPv4 { get; init; }

    public IPAddress? IPv6 { get; init; }

    /// <summary>
    /// A swarm service's name record (Berth.Network.Services' <c>ServiceNames</c>), not a container: it answers to its
    /// <see cref="Aliases"/> only (no container name, <c>name.network</c> or short id) and its address has no PTR here.
    /// </summary>
    public bool ServiceRecord { get; init; }

    /// <summary>The names and addresses of a wired endpoint; <paramref name="containerName"/> may carry Docker's leading slash.</summary>
    public static DnsEndpoint From(EndpointState endpoint, string containerName, string networkName)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(containerName);
        return new DnsEndpoint
        {
            ContainerId = endpoint.ContainerId,
            ContainerName = containerName.TrimStart('/'),
            NetworkId = endpoint.NetworkId,
            NetworkName = networkName,
            Aliases = endpoint.Aliases,
            Links = endpoint.Links,
            IPv4 = endpoint.IPv4?.Address,
            IPv6 = endpoint.IPv6?.Address,
        };
    }

    /// <summary>Every name this endpoint answers to, lower case.</summary>
    public IEnumerable<string> Names()
    {
        if (ServiceRecord)
        {
            foreach (string alias in Aliases)
            {
                yield return DnsNames.Normalize(alias);
            }

            yield break;
        }

        yield return DnsNames.Normalize(ContainerName);
        yield return DnsNames.Normalize(ContainerName + "." + NetworkName);
        if (ContainerId.Length >= ShortIdLength)
        {
            yield return DnsNames.Normalize(ContainerId[..ShortIdLength]);
        }

        foreach (string alias in Aliases)
        {
            yield return DnsNames.Normalize(alias);
        }
    }

    /// <summary>This endpoint's link aliases (each also as <c>alias.network</c>), lower case → the name each stands for.</summary>
    public IEnumerable<KeyValuePair<string, string>> LinkNames()
    {
        foreach (EndpointLink link in Links)
        {
            string target = DnsNames.Normalize(link.Container);
            yield return new(DnsNames.Normalize(link.Alias), target);
            yield return new(DnsNames.Normalize(link.Alias + "." + NetworkName), target);
        }
    }

    /// <summary>The PTR target of this endpoint's addresses: <c>name.network</c>, as Docker answers.</summary>
    public string PointerTarget => ContainerName + "." + NetworkName;
}
