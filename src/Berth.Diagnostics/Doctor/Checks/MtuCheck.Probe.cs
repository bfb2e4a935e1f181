using System.Net;
using Berth.Core.Networks;
using Berth.Linux;
using Berth.Linux.Namespaces;
using Berth.Linux.Probes;
using Berth.Network.Endpoints;
using Berth.Runtime.Engine;

namespace Berth.Diagnostics.Doctor.Checks;

public sealed partial class MtuCheck
{
    private const string ProbeCheck = "mtu probe";

    /// <summary>The small echo that tells "too big" from "not answering at all".</summary>
    private const int SmallEcho = 64;

    /// <summary>At most this many endpoints are probed from one container per network (other nodes' first).</summary>
    private const int ProbeTargets = 6;

    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The smallest MTU an IPv4 path must carry (RFC 791's 576-byte datagram): where the path search starts.</summary>
    private const int MinimumPathMtu = 576;

    /// <summary>
    /// Linux (and most NICs) take frames up to a VLAN tag's 4 bytes beyond an interface's MTU (veth's
    /// <c>is_skb_forwardable</c>), so a measured path looks that much larger than the MTU set on its smallest link.
    /// </summary>
    private const int VlanTagAllowance = 4;

    private static readonly TimeSpan UnderlayEchoTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>An endpoint to probe; <paramref name="Node"/> is the underlay address of the node it is on, for one on another node.</summary>
    private sealed record ProbeTarget(string Name, IPAddress Address, string? Container, IPAddress? Node);

    /// <summary>
    /// From one running container (the scope's, or the network's first), a DF echo of exactly <paramref name="mtu"/> bytes
    /// to other endpoints of the network — on other nodes first, then this node's, else the bridge's gateway (the host) —
    /// and a small one where the big one is lost, to tell an MTU fault from an endpoint that does not answer.
    /// </summary>
    private static async Task<DoctorFinding?> ProbeAsync(DiagnosticSources sources, DoctorScope scope, NetworkState network, int mtu,
        IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> running, CancellationToken cancellationToken)
    {
        var (from, fromEndpoint) = running.FirstOrDefault(p => scope.Container is null || p.Container.Id == scope.Container.Id);
        if (from is null || fromEndpoint.IPv4 is null)
        {
            return null;
        }

        var view = sources.Drivers.Describe(network);
        // On a network whose containers may not talk to each other only the gateway answers them.
        var targets = view.ContainersIsolated ? new List<ProbeTarget>() : Targets(sources, network, from, running).Take(ProbeTargets).ToList();
        if (targets.Count == 0 && view.Bridge is not null && fromEndpoint.Gateway is { } gateway)
        {
            targets.Add(new ProbeTarget($"the gateway {gateway} ({view.Bridge})", gateway, null, null));
        }

        if (targets.Count == 0)
        {
            return null;
        }

        NetnsHandle netns;
        try
        {
            netns = NetnsHandle.Open(ScopedContainers.NamespacePath(from));
        }
        catch (KernelException)
        {
            return null; // exited meanwhile
        }

        using (netns)
        {
            var results = await Task.WhenAll(targets.Select(t => EchoAsync(sources, netns, t, mtu, cancellationToken))).ConfigureAwait(false);
            var lost = results.Where(r => !r.Big.Answered).ToList();
            if (lost.Count == 0)
            {
                return DoctorFinding.Ok(ProbeCheck, network.Name,
                    $"{mtu}-byte pings with DF from {from.Name} reached {string.Join(", ", results.Select(r => r.Target.Name))}");
            }

            var (target, big, small) = lost[0];
            if (small is not { Answered: true })
            {
                return DoctorFinding.Warning(ProbeCheck, network.Name,
                    $"{target.Name} ({target.Address}) does not answer pings from {from.Name}, not even of {SmallEcho} bytes (a firewall, or it drops ICMP): its MTU could not be probed",
                    null);
            }

            string found = $"a {mtu}-byte ping with DF from {from.Name} to {target.Name} ({target.Address}): {big}; {SmallEcho}-byte pings pass, so the path between them carries less than the network's MTU {mtu}";
            int? pathMtu = big.NextHopMtu;
            if (pathMtu is null && target.Node is { } node && view.Overhead is not null)
            {
                // Between nodes the tunnel's packets are lost without a word (an L2 hop with a smaller MTU): find what the underlay carries.
                pathMtu = await PathMtuAsync(sources, node, view.UnderlayMtu ?? mtu + view.Overhead.Value, cancellationToken).ConfigureAwait(false);
                found += pathMtu is { } carried ? $"; the underlay to {node} carries {carried} bytes" : "";
            }

            return DoctorFinding.Problem(ProbeCheck, network.Name, found, ProbeFix(network, view, from, target, big, pathMtu));
        }
    }

    /// <summary>One DF echo from a running container's namespace; null when the container is gone.</summary>
    private static async Task<IcmpEchoResult?> EchoFromAsync(DiagnosticSources sources, ContainerRecord container, IPAddress target, int size, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        try
        {
            using var netns = NetnsHandle.Open(ScopedContainers.NamespacePath(container));
            return await IcmpEcho.SendAsync(sources.Runner, netns, target, size, dontFragment: true, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (KernelException)
        {
            return null; // exited meanwhile
        }
    }

    private static IEnumerable<ProbeTarget> Targets(DiagnosticSources sources, NetworkState network, ContainerRecord from,
        IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> running)
    {
        var remote = sources.RemoteEndpoints?.Invoke(network.Id) ?? [];
        foreach (var endpoint in remote.Where(r => r.IPv4 is not null).OrderBy(r => r.Node, StringComparer.Ordinal).ThenBy(r => r.ContainerName, StringComparer.Ordinal))
        {
            yield return new ProbeTarget($"{endpoint.ContainerName} on node {endpoint.Vtep}", endpoint.IPv4!, endpoint.ContainerName, endpoint.Vtep);
        }

        foreach (var (container, endpoint) in running.Where(p => p.Container.Id != from.Id && p.Endpoint.IPv4 is not null))
        {
            yield return new ProbeTarget(container.Name, endpoint.IPv4!.Value.Address, container.Name, null);
        }
    }

    private static async Task<(ProbeTarget Target, IcmpEchoResult Big, IcmpEchoResult? Small)> EchoAsync(DiagnosticSources sources, NetnsHandle netns, ProbeTarget target,
        int mtu, CancellationToken cancellationToken)
    {
        var big = await IcmpEcho.SendAsync(sources.Runner, netns, target.Address, mtu, dontFragment: true, EchoTimeout, cancellationToken).ConfigureAwait(false);
        if (big.Answered)
        {
            return (target, big, null);
        }

        var small = await IcmpEcho.SendAsync(sources.Runner, netns, target.Address, SmallEcho, dontFragment: true, EchoTimeout, cancellationToken).ConfigureAwait(false);
        return (target, big, small);
    }

    /// <summary>
    /// What to do about a lost full-size echo: the sender's own interface is too small (make it again); an overlay's path
    /// is too small (the network's MTU must leave room for the tunnel on the smallest link); on one host, the receiver's
    /// interface is (make it again).
    /// </summary>
    private static string? ProbeFix(NetworkState network, Network.Drivers.NetworkHostView view, ContainerRecord from, ProbeTarget target, IcmpEchoResult big, int? pathMtu)
    {
        if (big.Outcome == IcmpEchoOutcome.TooBigToSend)
        {
            return $"berth network disconnect {network.Name} {from.Name} && berth network connect {network.Name} {from.Name}";
        }

        if (target.Node is not null && view.Overhead is { } overhead)
        {
            return pathMtu is { } fits
                ? Recreate(network, fits - overhead)
                : "ip link show  # on both nodes: every link between them must carry the network's MTU + " + overhead + " bytes";
        }

        return target.Container is { } container
            ? $"berth network disconnect {network.Name} {container} && berth network connect {network.Name} {container}"
            : null;
    }

    /// <summary>
    /// The underlay's MTU towards <paramref name="node"/>: the largest DF echo from berthd's own namespace that is
    /// answered, by bisection between 576 bytes and <paramref name="upper"/> (less the VLAN tag allowance when smaller
    /// than <paramref name="upper"/>); null when not even the smallest is answered.
    /// </summary>
    private static async Task<int?> PathMtuAsync(DiagnosticSources sources, IPAddress node, int upper, CancellationToken cancellationToken)
    {
        async Task<bool> Carries(int size) =>
            (await IcmpEcho.SendAsync(sources.Runner, null, node, size, dontFragment: true, UnderlayEchoTimeout, cancellationToken).ConfigureAwait(false)).Answered;

        if (!await Carries(MinimumPathMtu).ConfigureAwait(false))
        {
            return null;
        }

        int low = MinimumPathMtu;
        int high = upper;
        if (await Carries(high).ConfigureAwait(false))
        {
            return high;
        }

        // low is carried, high is not.
        while (high - low > 1)
        {
            int middle = low + ((high - low) / 2);
            if (await Carries(middle).ConfigureAwait(false))
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        // A path smaller than this node's own underlay ends at a link whose MTU the kernel stretches by a VLAN tag.
        return Math.Max(MinimumPathMtu, low - VlanTagAllowance);
    }
}
