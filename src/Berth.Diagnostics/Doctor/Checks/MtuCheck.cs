using Berth.Core.Networks;
using Berth.Linux;
using Berth.Linux.Namespaces;
using Berth.Network.Drivers;
using Berth.Network.Endpoints;
using Berth.Runtime.Engine;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// The guide's "overlay slow from MTU fragmentation", and its single-host cousins: an overlay whose packets plus the
/// tunnel's overhead do not fit its underlay, a bridge with a larger MTU than the host's way out, a container whose
/// interface differs from its network's — each seen by arithmetic and then shown by a real probe: a ping of exactly the
/// network's MTU with DF set, between two endpoints of the network (<see cref="MtuProbe"/>).
/// </summary>
public sealed partial class MtuCheck : IDoctorCheck
{
    private const string InterfaceCheck = "mtu container interface";
    private const string UplinkCheck = "mtu bridge uplink";
    private const string UnderlayCheck = "mtu overlay underlay";

    /// <summary>Docker's option for a network's MTU, the one the fixes set.</summary>
    private const string MtuOption = "com.docker.network.driver.mtu";

    public string Area => "mtu";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(scope);
        var findings = new List<DoctorFinding>();
        foreach (var network in await ScopedContainers.NetworksAsync(sources, scope, cancellationToken).ConfigureAwait(false))
        {
            var capabilities = sources.Drivers.CapabilitiesOf(network);
            if (!capabilities.ConnectsContainers || capabilities.SharesHostNamespace || network.Config.ConfigOnly)
            {
                continue;
            }

            var view = sources.Drivers.Describe(network);
            int? mtu = view.Mtu ?? (view.Parent is { } parent ? sources.Host.Links.TryGet(parent)?.Mtu : null);
            findings.AddRange(Underlay(network, view));
            var running = ScopedContainers.RunningOn(sources, network.Id);
            if (scope.Container is null)
            {
                findings.AddRange(await UplinkAsync(sources, network, view, running, cancellationToken).ConfigureAwait(false));
            }

            if (mtu is { } expected)
            {
                findings.AddRange(Interfaces(sources, scope, network, expected, running));
                if (await ProbeAsync(sources, scope, network, expected, running, cancellationToken).ConfigureAwait(false) is { } probed)
                {
                    findings.Add(probed);
                }
            }
        }

        return findings;
    }

    /// <summary>An overlay's packets plus the tunnel's overhead must fit the underlay, or every full-size packet is lost.</summary>
    private static IEnumerable<DoctorFinding> Underlay(NetworkState network, NetworkHostView view)
    {
        if (view is not { Mtu: { } mtu, UnderlayMtu: { } underlay, Overhead: { } overhead })
        {
            yield break;
        }

        yield return mtu + overhead <= underlay
            ? DoctorFinding.Ok(UnderlayCheck, network.Name, $"MTU {mtu} + {overhead} bytes of tunnel fit the underlay's {underlay}")
            : DoctorFinding.Problem(UnderlayCheck, network.Name,
                $"MTU {mtu} + {overhead} bytes of tunnel = {mtu + overhead} > the underlay's {underlay}: full-size packets between nodes are dropped (TCP stalls, large responses hang)",
                Recreate(network, underlay - overhead));
    }

    /// <summary>
    /// A bridge's containers leave the host by its default route: a larger bridge MTU means fragments or, with DF, drops.
    /// Shown by a DF ping of the bridge's MTU from a container towards the default gateway, which the host refuses with
    /// "fragmentation needed" and the uplink's MTU.
    /// </summary>
    private static async Task<IReadOnlyList<DoctorFinding>> UplinkAsync(DiagnosticSources sources, NetworkState network, NetworkHostView view,
        IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> running, CancellationToken cancellationToken)
    {
        if (view is not { Bridge: not null, Mtu: { } mtu } || network.Config.Internal || DefaultRoute(sources) is not { } way)
        {
            return [];
        }

        var (route, uplink) = way;
        if (mtu <= uplink.Mtu)
        {
            return [DoctorFinding.Ok(UplinkCheck, network.Name, $"{view.Bridge} MTU {mtu} ≤ {uplink.Name}'s {uplink.Mtu}")];
        }

        string found = $"{view.Bridge} MTU {mtu} > {uplink.Name}'s {uplink.Mtu} (the host's way out): packets over {uplink.Mtu} bytes leaving the host are fragmented, or dropped when DF is set";
        if (route.Gateway is { } gateway && running.Count > 0 && running[0].Container is { } container)
        {
            var echo = await EchoFromAsync(sources, container, gateway, mtu, EchoTimeout, cancellationToken).ConfigureAwait(false);
            if (echo is not null)
            {
                found += $"; a {mtu}-byte ping with DF from {container.Name} towards {gateway}: {echo}";
            }
        }

        return [DoctorFinding.Warning(UplinkCheck, network.Name, found, Recreate(network, uplink.Mtu))];
    }

    /// <summary>Each running container's interface on the network must have the network's MTU.</summary>
    private static IEnumerable<DoctorFinding> Interfaces(DiagnosticSources sources, DoctorScope scope, NetworkState network, int expected,
        IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> running)
    {
        var differing = new List<DoctorFinding>();
        int checkedCount = 0;
        foreach (var (container, endpoint) in running.Where(p => scope.Container is null || p.Container.Id == scope.Container.Id))
        {
            int? actual;
            try
            {
                using var netns = NetworkNamespace.OpenPath(ScopedContainers.NamespacePath(container), sources.Runner);
                actual = netns.Links.TryGet(endpoint.InterfaceName)?.Mtu;
            }
            catch (KernelException)
            {
                continue; // exited meanwhile
            }

            checkedCount++;
            if (actual is { } value && value != expected)
            {
                differing.Add(DoctorFinding.Problem(InterfaceCheck, container.Name,
                    $"{endpoint.InterfaceName} on {network.Name} has MTU {value}, the network {expected}: packets between {Math.Min(value, expected) + 1} and {Math.Max(value, expected)} bytes to or from it are lost",
                    $"berth network disconnect {network.Name} {container.Name} && berth network connect {network.Name} {container.Name}"));
            }
        }

        if (differing.Count > 0)
        {
            return differing;
        }

        return checkedCount == 0 ? [] : [DoctorFinding.Ok(InterfaceCheck, network.Name, $"{checkedCount} container interface{(checkedCount == 1 ? "" : "s")} at the network's MTU {expected}")];
    }

    /// <summary>The host's default route and the link it leaves by.</summary>
    private static (Linux.Routes.RouteInfo Route, Linux.Links.LinkInfo Link)? DefaultRoute(DiagnosticSources sources)
    {
        var route = sources.Host.Rtnl.Routes.List().FirstOrDefault(r => r.Destination is null || r.Destination.Value.PrefixLength == 0);
        return route?.OutputInterface is { } index && sources.Host.Links.TryGet(index) is { } link ? (route, link) : null;
    }

    /// <summary>The fix for a network's MTU: Docker cannot change it in place, so the network is made again with it.</summary>
    private static string Recreate(NetworkState network, int mtu) =>
        NetworkRecreateCommand.Build(network, network.Subnets, new Dictionary<string, string> { [MtuOption] = mtu.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}
