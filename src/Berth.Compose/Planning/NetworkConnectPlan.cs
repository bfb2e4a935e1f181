using System.Collections.Immutable;
using Berth.Api.Contracts;

namespace Berth.Compose.Planning;

/// <summary>
/// A service's attachment to one network past its first: connected after create, before start (docker-compose's order).
/// The aliases are the service's own for that network; the container's short id and the service name join them at connect.
/// </summary>
public sealed record NetworkConnectPlan(string Network)
{
    public ImmutableArray<string> Aliases { get; init; } = [];

    public string? Ipv4Address { get; init; }

    public string? Ipv6Address { get; init; }

    public string? MacAddress { get; init; }

    /// <summary>
    /// The connect body for a created container: aliases <c>[short id, aliases…, service]</c> as docker-compose sends them
    /// (docker-compose looks for the short id among the aliases to decide it need not reconnect), none for a one-off.
    /// </summary>
    public NetworkConnectRequest ToRequest(string containerId, string service, bool oneOff) => new()
    {
        Container = containerId,
        EndpointConfig = new EndpointSettings
        {
            Aliases = oneOff ? null : [ComposeNames.ShortId(containerId), .. Aliases.Where(a => a != service), service],
            IPAMConfig = Ipv4Address is null && Ipv6Address is null ? null : new EndpointIpamConfig { IPv4Address = Ipv4Address, IPv6Address = Ipv6Address },
            MacAddress = MacAddress,
        },
    };
}
