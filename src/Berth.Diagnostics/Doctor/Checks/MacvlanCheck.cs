using System.Net;
using System.Net.Sockets;
using Berth.Core.Networks;
using Berth.Diagnostics.Doctor.Dhcp;
using Berth.Diagnostics.Doctor.Probes;
using Berth.Linux.Links;
using Berth.Network.Drivers;
using Berth.Network.Endpoints;
using Berth.Network.Ipam;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// Networks whose containers join a LAN through a parent interface (macvlan): the parent is there and up, the host
/// reaches the containers (a real TCP probe; the kernel passes no frames between a parent and its macvlans, so without
/// a host shim it does not), no two such networks on one parent overlap, and no container's address is one the LAN's
/// DHCP server hands out (from the lease files in <see cref="DiagnosticSources.DhcpLeaseFiles"/>).
/// </summary>
public sealed partial class MacvlanCheck : IDoctorCheck
{
    private const string ParentCheck = "macvlan parent";
    private const string AccessCheck = "macvlan host access";
    private const string SubnetsCheck = "macvlan subnets";
    private const string DhcpCheck = "macvlan dhcp";

    /// <summary>Any port does: a reset answers as well as a handshake. 9 (discard) is seldom served, so the probe opens no real session.</summary>
    private const int ProbePort = 9;

    public string Area => "macvlan";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(scope);
        var networks = await sources.Networks.ListAsync(cancellationToken).ConfigureAwait(false);
        var lans = networks.Select(n => (Network: n, View: sources.Drivers.Describe(n))).Where(x => x.View.Parent is not null).ToList();
        var scoped = (await ScopedContainers.NetworksAsync(sources, scope, cancellationToken).ConfigureAwait(false)).Select(n => n.Id).ToHashSet();
        var inScope = lans.Where(x => scoped.Contains(x.Network.Id)).ToList();
        if (inScope.Count == 0)
        {
            return [];
        }

        var leases = DhcpLeaseFile.ReadAll(sources.DhcpLeaseFiles);
        var perNetwork = await Task.WhenAll(inScope.Select(x => NetworkAsync(sources, scope, x.Network, x.View, leases, cancellationToken))).ConfigureAwait(false);
        var findings = perNetwork.SelectMany(f => f).ToList();
        foreach (var (a, b, subnetA, subnetB) in SharedParentOverlaps(lans))
        {
            if (inScope.Any(x => x.Network.Id == a.Id || x.Network.Id == b.Id))
            {
                findings.Add(DoctorFinding.Problem(SubnetsCheck, $"{a.Name}, {b.Name}",
                    $"{a.Name} ({subnetA}) and {b.Name} ({subnetB}) share parent {sources.Drivers.Describe(a).Parent} with overlapping subnets: the LAN sees both networks' containers and neither's IPAM knows the other's addresses",
                    $"berth network rm {b.Name}"));
            }
        }

        return findings;
    }

    /// <summary>Pairs of networks on one (real) parent whose subnets overlap, with the overlapping subnets.</summary>
    public static IEnumerable<(NetworkState A, NetworkState B, IPNetwork SubnetA, IPNetwork SubnetB)> SharedParentOverlaps(IReadOnlyList<(NetworkState Network, NetworkHostView View)> lans)
    {
        ArgumentNullException.ThrowIfNull(lans);
        for (int i = 0; i < lans.Count; i++)
        {
            for (int j = i + 1; j < lans.Count; j++)
            {
                var (a, viewA) = lans[i];
                var (b, viewB) = lans[j];
                if (viewA.ParentIsPlaceholder || viewA.Parent != viewB.Parent)
                {
                    continue;
                }

                foreach (var sa in a.Subnets)
                {
                    foreach (var sb in b.Subnets.Where(sb => IPNetworkMath.Overlaps(sa.Subnet, sb.Subnet)))
                    {
                        yield return (a, b, sa.Subnet, sb.Subnet);
                    }
                }
            }
        }
    }

    private static async Task<IReadOnlyList<DoctorFinding>> NetworkAsync(
        DiagnosticSources sources, DoctorScope scope, NetworkState network, NetworkHostView view, IReadOnlyList<DhcpLease> leases, CancellationToken cancellationToken)
    {
        string parent = view.Parent!;
        if (view.ParentIsPlaceholder)
        {
            return [DoctorFinding.Ok(ParentCheck, network.Name, $"no parent: an internal network on placeholder {parent}; its containers reach only each other")];
        }

        var endpoints = ScopedContainers.RunningOn(sources, network.Id)
            .Where(e => scope.Container is null || e.Container.Id == scope.Container.Id)
            .Select(e => (Name: e.Container.Name, e.Endpoint))
            .ToList();
        var parentFinding = ParentFinding(sources, network, view);
        if (parentFinding.Status != DoctorStatus.Ok)
        {
            return [parentFinding]; // no probe through a parent that is not there
        }

        var findings = new List<DoctorFinding> { parentFinding };
        findings.Add(await AccessAsync(sources, network, view, endpoints, leases, cancellationToken).ConfigureAwait(false));
        findings.AddRange(DhcpFindings(network, endpoints, leases));
        return findings;
    }

    private static DoctorFinding ParentFinding(DiagnosticSources sources, NetworkState network, NetworkHostView view)
    {
        string parent = view.Parent!;
        var link = sources.Host.Links.TryGet(parent);
        if (link is null)
        {
            if (view.ParentMadeByBerth)
            {
                return DoctorFinding.Problem(ParentCheck, network.Name, $"parent {parent} (made by Berth) is missing: {network.Name}'s containers are cut off the LAN", DoctorFixes.RestartBerthd);
            }

            var candidates = sources.Host.Links.List()
                .Where(l => l.Name != "lo" && l.Kind is null or "veth" or "bond" or "vlan" && !l.Name.StartsWith("bsh-", StringComparison.Ordinal))
                .Select(l => l.Name).Order(StringComparer.Ordinal).ToList();
            string links = candidates.Count == 0 ? "no candidate links" : "links here: " + string.Join(", ", candidates);
            return DoctorFinding.Problem(ParentCheck, network.Name, $"parent {parent} does not exist ({links})",
                candidates.Count == 0 ? null : NetworkRecreateCommand.Build(network, network.Subnets, new Dictionary<string, string> { [MacvlanOptions.Parent] = candidates[0] }));
        }

        if (!link.IsUp)
        {
            return DoctorFinding.Problem(ParentCheck, network.Name, $"parent {parent} is down: {network.Name}'s containers are cut off the LAN", $"ip link set {parent} up");
        }

        return link.OperState is OperState.Down or OperState.LowerLayerDown
            ? DoctorFinding.Problem(ParentCheck, network.Name, $"parent {parent} is up but has no carrier (operstate {link.OperState}): nothing reaches the LAN", $"check {parent}'s cable or the link it is on (ip link show {parent})")
            : DoctorFinding.Ok(ParentCheck, network.Name, $"parent {parent} is up (macvlan mode {view.Mode})");
    }

    private static async Task<bool?> ProbeAsync(IReadOnlyList<(string Name, EndpointState Endpoint)> endpoints, CancellationToken cancellationToken)
    {
        var target = Target(endpoints);
        return target is null ? null : TcpProbe.Answered(await TcpProbe.ConnectAsync(new IPEndPoint(target.Value.Address, ProbePort), TcpProbe.DefaultTimeout, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The container to probe: the first with an IPv4 address, else the first with IPv6.</summary>
    private static (string Name, IPAddress Address)? Target(IReadOnlyList<(string Name, EndpointState Endpoint)> endpoints) =>
        endpoints.Where(e => e.Endpoint.IPv4 is not null).Select(e => ((string, IPAddress)?)(e.Name, e.Endpoint.IPv4!.Value.Address)).FirstOrDefault()
        ?? endpoints.Where(e => e.Endpoint.IPv6 is not null).Select(e => ((string, IPAddress)?)(e.Name, e.Endpoint.IPv6!.Value.Address)).FirstOrDefault();

    private static string Describe((string Name, IPAddress Address)? target) => target is { } t ? $"{t.Address} ({t.Name})" : "";

    private static bool IsV4(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork;
}
