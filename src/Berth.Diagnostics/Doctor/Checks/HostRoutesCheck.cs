using System.Net;
using System.Net.Sockets;
using Berth.Core.Networks;
using Berth.Linux.Routes;
using Berth.Network.Ipam;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// A network's subnet against the host's routes: a route that covers part of it but leads elsewhere than the network's
/// own interfaces (its bridge, its macvlan parent or shim) means the host, and so the containers, lose whatever lies
/// behind that route in the overlap (a VPN's or another LAN's machines).
/// </summary>
public sealed class HostRoutesCheck : IDoctorCheck
{
    private const string Check = "host routes";

    public string Area => "host";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(scope);
        var networks = await sources.Networks.ListAsync(cancellationToken).ConfigureAwait(false);
        var inScope = await ScopedContainers.NetworksAsync(sources, scope, cancellationToken).ConfigureAwait(false);
        var routes = new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 }
            .SelectMany(f => sources.Host.Rtnl.Routes.List(f))
            .Where(r => r.Destination is { PrefixLength: > 0 } && r.Type == RouteType.Unicast)
            .ToList();
        var links = sources.Host.Links.List().ToDictionary(l => l.Index, l => l.Name);
        var findings = new List<DoctorFinding>();
        foreach (var network in inScope.Where(n => n.Subnets.Length > 0))
        {
            var view = sources.Drivers.Describe(network);
            var own = new[] { view.Bridge, view.Parent, view.HostShim }.OfType<string>().ToHashSet(StringComparer.Ordinal);
            var foreign = Foreign(network, routes.Select(r => (r, r.OutputInterface is { } i ? links.GetValueOrDefault(i) : null)), own).ToList();
            if (foreign.Count == 0)
            {
                findings.Add(DoctorFinding.Ok(Check, network.Name, $"no host route to another interface overlaps {string.Join(", ", network.Subnets.Select(s => s.Subnet))}"));
                continue;
            }

            foreach (var (subnet, route, device) in foreign)
            {
                findings.Add(DoctorFinding.Problem(Check, network.Name,
                    $"subnet {subnet} overlaps the host's route {Describe(route, device)}: whatever lies behind that route in {subnet} is out of reach of the host and {network.Name}'s containers",
                    Fix(network, subnet, networks, routes)));
            }
        }

        return findings;
    }

    /// <summary>The network's subnets each with the routes that overlap it and lead to an interface not in <paramref name="own"/> (a route with no device counts as foreign).</summary>
    public static IEnumerable<(IPNetwork Subnet, RouteInfo Route, string? Device)> Foreign(NetworkState network, IEnumerable<(RouteInfo Route, string? Device)> routes, IReadOnlySet<string> own)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(own);
        var list = routes.ToList();
        foreach (var allocation in network.Subnets)
        {
            foreach (var (route, device) in list)
            {
                if (route.Destination is { } destination && IPNetworkMath.Overlaps(destination, allocation.Subnet) && (device is null || !own.Contains(device)))
                {
                    yield return (allocation.Subnet, route, device);
                }
            }
        }
    }

    private static string Describe(RouteInfo route, string? device) =>
        $"{route.Destination}{(route.Gateway is { } via ? $" via {via}" : "")}{(device is null ? "" : $" dev {device}")}";

    private static string Fix(NetworkState network, IPNetwork subnet, IReadOnlyList<NetworkState> networks, IReadOnlyList<RouteInfo> routes)
    {
        if (!IPNetworkMath.IsIPv4(subnet))
        {
            return $"re-create {network.Name} with another --subnet, one no route of this host covers";
        }

        var avoid = networks.SelectMany(n => n.Subnets.Select(s => s.Subnet)).Concat(routes.Select(r => r.Destination!.Value)).ToList();
        return FreeSubnet.Find(subnet.PrefixLength, avoid) is { } free
            ? NetworkRecreateCommand.Build(network, [.. network.Subnets.Select(s => s.Subnet == subnet ? new SubnetAllocation { Subnet = free } : s)])
            : $"re-create {network.Name} with another --subnet, one no route of this host covers";
    }
}
