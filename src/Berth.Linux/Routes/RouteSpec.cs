using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Linux.Addresses;
using Berth.Linux.Links;

namespace Berth.Linux.Routes;

/// <summary>A route to add or delete. A null <see cref="Destination"/> is the default route.</summary>
public sealed record RouteSpec
{
    public IPNetwork? Destination { get; init; }

    public IPAddress? Gateway { get; init; }

    public LinkRef? Device { get; init; }

    public int Table { get; init; } = RouteTable.Main;

    /// <summary>Treat the gateway as directly reachable on <see cref="Device"/> even without a matching subnet.</summary>
    public bool OnLink { get; init; }

    public int? Metric { get; init; }

    public IPAddress? PreferredSource { get; init; }

    public RouteType Type { get; init; } = RouteType.Unicast;

    public RouteProtocol Protocol { get; init; } = RouteProtocol.Boot;

    /// <summary>Explicit scope; by default link scope for routes without a gateway, universe otherwise.</summary>
    public AddressScope? Scope { get; init; }

    public AddressFamily Family =>
        Destination?.BaseAddress.AddressFamily ?? Gateway?.AddressFamily
        ?? throw new BerthException(ErrorKind.InvalidArgument, "a default route needs a gateway (or a destination) to know its address family");

    public static RouteSpec DefaultVia(IPAddress gateway, LinkRef? device = null) => new() { Gateway = gateway, Device = device };

    public override string ToString()
    {
        string destination = Destination is { } d ? d.ToString() : "default";
        string via = Gateway is not null ? $" via {Gateway}" : string.Empty;
        string dev = Device is { } link ? $" dev {link}" : string.Empty;
        string table = Table == RouteTable.Main ? string.Empty : $" table {Table}";
        return destination + via + dev + table;
    }
}
