using System.Net;
using Berth.Linux.Addresses;

namespace Berth.Linux.Routes;

/// <summary>A route as the kernel reports it; a null destination is a default route.</summary>
public sealed record RouteInfo
{
    public IPNetwork? Destination { get; init; }

    public IPAddress? Gateway { get; init; }

    public int? OutputInterface { get; init; }

    public int Table { get; init; }

    public RouteType Type { get; init; }

    public RouteProtocol Protocol { get; init; }

    public AddressScope Scope { get; init; }

    public int? Metric { get; init; }

    public IPAddress? PreferredSource { get; init; }

    public bool OnLink { get; init; }
}
