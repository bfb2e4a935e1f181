using System.Net;
using Berth.Core.Networks;
using Berth.Diagnostics.Doctor.Dhcp;
using Berth.Network.Drivers;
using Berth.Network.Endpoints;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>Host access (probed) and DHCP leases.</summary>
public sealed partial class MacvlanCheck
{
    private static async Task<DoctorFinding> AccessAsync(DiagnosticSources sources, NetworkState network, NetworkHostView view,
        IReadOnlyList<(string Name, EndpointState Endpoint)> endpoints, IReadOnlyList<DhcpLease> leases, CancellationToken cancellationToken)
    {
        string parent = view.Parent!;
        if (view.HostShim is { } shim)
        {
            string through = $"{shim} ({string.Join(", ", view.HostShimAddresses)})";
            var link = sources.Host.Links.TryGet(shim);
            if (link is null || !link.IsUp)
            {
                return DoctorFinding.Problem(AccessCheck, network.Name, $"host shim {shim} is {(link is null ? "missing" : "down")}: the host cannot reach {network.Name}'s containers",
                    link is null ? DoctorFixes.RestartBerthd : $"ip link set {shim} up");
            }

            return await ProbeAsync(endpoints, cancellationToken).ConfigureAwait(false) is false
                ? DoctorFinding.Problem(AccessCheck, network.Name, $"the host has shim {through} but {Describe(Target(endpoints))} does not answer from the host", DoctorFixes.RestartBerthd)
                : DoctorFinding.Ok(AccessCheck, network.Name, $"the host reaches {network.Name} through {through}");
        }

        bool? answered = await ProbeAsync(endpoints, cancellationToken).ConfigureAwait(false);
        return answered switch
        {
            null => DoctorFinding.Ok(AccessCheck, network.Name, $"no containers yet; without a host shim the host will not reach them (the kernel passes no frames between {parent} and its macvlans)"),
            true => DoctorFinding.Ok(AccessCheck, network.Name, $"the host reaches {Describe(Target(endpoints))} without a host shim"),
            false => DoctorFinding.Problem(AccessCheck, network.Name,
                $"the host cannot reach {network.Name}'s containers: {Describe(Target(endpoints))} does not answer from the host (the kernel passes no frames between {parent} and its macvlans; give the host a shim)",
                ShimFix(sources, network, endpoints, leases)),
        };
    }

    /// <summary>The network re-created with a host shim at a free address; a sentence when none can be picked.</summary>
    private static string ShimFix(DiagnosticSources sources, NetworkState network, IReadOnlyList<(string Name, EndpointState Endpoint)> endpoints, IReadOnlyList<DhcpLease> leases)
    {
        var allocation = network.Subnets.FirstOrDefault(s => IsV4(s.Subnet.BaseAddress)) ?? network.Subnets.FirstOrDefault();
        if (allocation is null)
        {
            return $"re-create {network.Name} with --host-address ADDRESS (an address of its LAN no one else has)";
        }

        var family = allocation.Subnet.BaseAddress.AddressFamily;
        var containers = endpoints.Select(e => IsV4(allocation.Subnet.BaseAddress) ? e.Endpoint.IPv4?.Address : e.Endpoint.IPv6?.Address).OfType<IPAddress>().ToList();
        var taken = containers
            .Concat(sources.Host.Rtnl.Addresses.List(null, family).Select(a => a.Address.Address))
            .Concat(leases.Select(l => l.Address))
            .ToHashSet();
        var range = MacvlanShimAddress.ContainerRange(allocation, containers);
        var free = range is null ? null : MacvlanShimAddress.FreeHostAddress(allocation, range.Value, taken);
        if (range is null || free is null)
        {
            return $"re-create {network.Name} with an --ip-range for its containers and --host-address outside it (no free address of {allocation.Subnet} found)";
        }

        var subnets = network.Subnets.Select(s => s == allocation ? s with { IPRange = range } : s).ToList();
        return NetworkRecreateCommand.Build(network, subnets, hostAddress: free);
    }

    private static IEnumerable<DoctorFinding> DhcpFindings(NetworkState network, IReadOnlyList<(string Name, EndpointState Endpoint)> endpoints, IReadOnlyList<DhcpLease> leases)
    {
        if (leases.Count == 0)
        {
            yield break;
        }

        bool any = false;
        foreach (var (name, endpoint) in endpoints)
        {
            if (endpoint.IPv4?.Address is not { } address || network.Subnets.FirstOrDefault(s => s.Subnet.Contains(address)) is not { } allocation)
            {
                continue;
            }

            string ranges = allocation.IPRange is not null ? $"re-create {network.Name} with an --ip-range outside the DHCP pool" : $"give {network.Name} an --ip-range outside the DHCP pool";
            if (DhcpOverlap.LeasedToOther(address, endpoint.MacAddress, leases) is { } lease)
            {
                any = true;
                yield return DoctorFinding.Warning(DhcpCheck, name,
                    $"{address} of {name} on {network.Name} is leased by this host's DHCP server to {lease.Mac ?? "another client"}{(lease.Hostname is { } h ? $" ({h})" : "")}: two machines answer for it",
                    $"{ranges}, or exclude {address} from the DHCP pool");
            }
            else if (DhcpOverlap.LeasedSpan(allocation.Subnet, leases) is { } span && DhcpOverlap.Within(span, address))
            {
                any = true;
                yield return DoctorFinding.Warning(DhcpCheck, name,
                    $"{address} of {name} on {network.Name} lies inside the DHCP server's leased range {span.First}-{span.Last}: it may be handed out to another machine",
                    $"{ranges}, or exclude {address} from the DHCP pool");
            }
        }

        if (!any)
        {
            yield return DoctorFinding.Ok(DhcpCheck, network.Name, $"no container address is leased, or inside the leased range, by this host's DHCP server ({leases.Count} leases read)");
        }
    }
}
