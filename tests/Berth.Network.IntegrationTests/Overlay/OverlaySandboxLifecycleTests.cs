using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;
using System.Text.RegularExpressions;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Network.Overlay;

namespace Berth.Network.IntegrationTests.Overlay;

/// <summary>A sandbox's life on one node: found again after a restart, repaired, removed without a trace, and left untouched by failures.</summary>
public sealed class OverlaySandboxLifecycleTests : LabTest
{
    private const uint Vni = 4097;
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(5);

    [RootFact]
    public void ARestartedBerthdFindsItsSandboxAndEnsureChangesNothing()
    {
        using var lab = new OverlayLab(NewLab(), Manager, TestRoot, Runner, hosts: 2);
        var (network, spec, c1, c2) = lab.Pair(Vni);
        Assert.True(c1.PingWithin(c2, Up), "c1 cannot ping c2");
        string before = Snapshot(lab[1], network);

        lab[1].Restart();

        Assert.Equal([network], lab[1].Sandboxes.List());
        Assert.True(lab[1].Sandboxes.Exists(network));
        Assert.False(lab[1].Sandboxes.Exists(NetworkId.New()));
        Assert.Equal([OverlayLab.PeerOf(c2)], lab[1].Sandboxes.Peers(network));
        Assert.Equal(1, lab[1].Sandboxes.LocalEndpoints(network));
        Assert.Empty(lab[1].Sandboxes.Ensure(spec));
        Assert.Empty(lab[1].Sandboxes.RemoveLeftovers());
        Assert.Equal(before, Snapshot(lab[1], network));
        Assert.True(c1.Ping(c2), "c1 lost c2 across the restart");

        // A second container joins the found sandbox.
        var c3 = lab.Join(lab[1], spec, 4);
        lab[2].Sandboxes.AddPeer(network, OverlayLab.PeerOf(c3));
        Assert.True(c3.PingWithin(c2, Up), "a container joined after the restart cannot ping c2");
        Assert.Equal(2, lab[1].Sandboxes.LocalEndpoints(network));
    }

    [RootFact]
    public void EnsureRepairsWhatIsMissingAndKeepsPeersWhenVxlanMustBeMadeAgain()
    {
        using var lab = new OverlayLab(NewLab(), Manager, TestRoot, Runner, hosts: 2);
        var (network, spec, c1, c2) = lab.Pair(Vni);
        Assert.True(c1.PingWithin(c2, Up), "c1 cannot ping c2");

        // Someone deletes vxlan0 and the gateway and turns learning back on... and berthd restarts.
        lab[1].SandboxIp(network, "link", "del", "vxlan0");
        lab[1].SandboxIp(network, "addr", "del", "10.0.0.1/24", "dev", "br0");
        lab[1].SandboxIp(network, "link", "set", "br0", "mtu", "1400");
        lab[1].Restart();
        Assert.False(c1.Ping(c2), "c1 reached c2 without vxlan0");

        var changes = lab[1].Sandboxes.Ensure(spec);
        Assert.Equal(
        [
            "br0 MTU 1400 → 1450",
            "gateway 10.0.0.1/24 added to br0",
            "vxlan0 re-created; its peers were lost with it: set them again",
        ], changes);
        Assert.Empty(lab[1].Sandboxes.Peers(network));
        lab[1].Sandboxes.SetPeers(network, [OverlayLab.PeerOf(c2)]);
        Assert.True(c1.PingWithin(c2, Up), "c1 cannot ping c2 after the repair");
        Assert.True(c1.Ping(IPAddress.Parse("10.0.0.1")), "the gateway is back");
        lab[1].SandboxIp(network, "link", "set", "vxlan0", "type", "bridge_slave", "learning", "on");
        Assert.Equal(["learning and unknown-unicast flooding turned off on the vxlan0 port"], lab[1].Sandboxes.Ensure(spec));

        // A new VTEP address (the node's address changed): vxlan0 is made again, its peers come with it.
        lab[1].Lab.Ip("addr", "add", $"{OverlayLab.Underlay}.101/24", "dev", "eth0");
        var moved = spec with { LocalVtep = IPAddress.Parse($"{OverlayLab.Underlay}.101") };
        changes = lab[1].Sandboxes.Ensure(moved);
        Assert.Equal([$"vxlan0 re-created (VTEP {OverlayLab.Underlay}.1 → {OverlayLab.Underlay}.101); 1 peers programmed again"], changes);
        Assert.Equal([OverlayLab.PeerOf(c2)], lab[1].Sandboxes.Peers(network));
        Assert.Contains($"local {OverlayLab.Underlay}.101", lab[1].SandboxIp(network, "-d", "link", "show", "vxlan0"), StringComparison.Ordinal);
        lab[2].Sandboxes.AddPeer(network, OverlayLab.PeerOf(c1) with { Vtep = moved.LocalVtep });
        Assert.True(c1.PingWithin(c2, Up), "c1 cannot ping c2 from its new VTEP");
        Assert.Empty(lab[1].Sandboxes.Ensure(moved));

        // br0 deleted: made again, with vxlan0, the veth and the peers' bridge entries back on it; no SetPeers needed.
        lab[1].SandboxIp(network, "link", "del", "br0");
        Assert.Equal(
        [
            "br0 re-created",
            "vxlan0 put back on br0",
            "learning and unknown-unicast flooding turned off on the vxlan0 port",
            "br0 entries of 1 peers restored",
            $"veth {c1.SandboxEnd} put back on br0",
        ], lab[1].Sandboxes.Ensure(moved));
        Assert.True(c1.PingWithin(c2, Up), "c1 cannot ping c2 after br0 was made again");
        Assert.Equal([OverlayLab.PeerOf(c2)], lab[1].Sandboxes.Peers(network));
        Assert.Empty(lab[1].Sandboxes.Ensure(moved));

        // A sandbox of another network whose name happens to be this one's is refused, never taken over.
        var twin = new NetworkId(network.Short + new string('0', NetworkId.Length - NetworkId.ShortLength));
        var refused = Assert.Throws<BerthException>(() => lab[1].Sandboxes.Ensure(spec with { Network = twin }));
        Assert.Equal(ErrorKind.Conflict, refused.Kind);
        Assert.Contains($"is the overlay sandbox of network {network}", refused.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void RemoveLeavesNoNamespaceLinkMountOrSocket()
    {
        using var lab = new OverlayLab(NewLab(), Manager, TestRoot, Runner, hosts: 1);
        var host = lab[1];
        string hostBefore = host.RoutesAndAddresses();
        var network = NetworkId.New();
        var spec = OverlayLab.Spec(network, host, Vni);
        var c1 = lab.Join(host, spec, 2);
        host.Sandboxes.SetPeers(network, [new OverlayPeer(IPAddress.Parse("10.0.0.3"), new PhysicalAddress([2, 0x42, 10, 0, 0, 3]), IPAddress.Parse($"{OverlayLab.Underlay}.2"))]);
        Assert.True(host.HasUdpSocket(spec.Port), "vxlan0's UDP socket is not in the host namespace");
        string sandboxPath = host.SandboxPath(network);

        lab.Remove(c1);
        Assert.Equal(0, host.Sandboxes.LocalEndpoints(network));
        host.Sandboxes.Remove(network);

        Assert.False(host.Sandboxes.Exists(network));
        Assert.Empty(host.Sandboxes.List());
        Assert.Empty(host.Namespaces.List());
        Assert.DoesNotContain(" " + sandboxPath + " ", File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
        Assert.False(host.HasUdpSocket(spec.Port), "vxlan0's UDP socket outlived Remove");
        Assert.Equal(hostBefore, host.RoutesAndAddresses());
        host.Sandboxes.Remove(network);

        // The VNI and the port are free when Remove returns: the same sandbox again at once, five times.
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal([$"sandbox {OverlaySandboxes.NamespaceName(network)} created"], host.Sandboxes.Ensure(spec));
            host.Sandboxes.Remove(network);
        }

        // The placeholder file of a sandbox whose making crashed before its namespace was mounted does not block the name.
        var second = NetworkId.New();
        File.WriteAllBytes(host.Namespaces.PathOf(OverlaySandboxes.NamespaceName(second)), []);
        Assert.Equal([$"sandbox {OverlaySandboxes.NamespaceName(second)} created"], host.Sandboxes.Ensure(OverlayLab.Spec(second, host, Vni)));
        host.Sandboxes.Remove(second);

        // A half-made sandbox (no br0 naming a network) is not listed; RemoveLeftovers takes it away.
        string leftover = OverlaySandboxes.NamespacePrefix + "0123456789ab";
        host.Namespaces.Create(leftover).Dispose();
        Assert.Empty(host.Sandboxes.List());
        Assert.Equal([leftover], host.Sandboxes.RemoveLeftovers());
        Assert.Empty(host.Namespaces.List());
        Assert.Equal(hostBefore, host.RoutesAndAddresses());
    }

    [RootFact]
    public void AFailedJoinLeavesNothingItMadeAndBadInputIsRefusedBeforeAnything()
    {
        using var lab = new OverlayLab(NewLab(), Manager, TestRoot, Runner, hosts: 1);
        var host = lab[1];
        var network = NetworkId.New();
        var spec = OverlayLab.Spec(network, host, Vni);

        // The container already has an eth0: the veth cannot be born there, and the sandbox this Join made goes too.
        using var busy = NetworkNamespace.Create(Manager, "busy");
        busy.Links.Create(new VethSpec("eth0", "other"));
        var endpoint = OverlayLab.Endpoint(network, "busy", "10.0.0.5");
        var conflict = Assert.Throws<Berth.Linux.KernelException>(() => host.Sandboxes.Join(spec, endpoint, "vethbusy", busy));
        Assert.Equal(ErrorKind.Conflict, conflict.Kind);
        Assert.False(host.Sandboxes.Exists(network));
        Assert.Empty(host.Namespaces.List());

        // In an existing sandbox, a failure in the container's wiring (a default route via an unreachable gateway) takes the veth away.
        var c1 = lab.Join(host, spec, 2);
        using var broken = NetworkNamespace.Create(Manager, "broken");
        var unroutable = OverlayLab.Endpoint(network, "broken", "10.0.0.6") with { DefaultRoute = true, Gateway = IPAddress.Parse("10.9.9.9") };
        var unreachable = Assert.Throws<Berth.Linux.KernelException>(() => host.Sandboxes.Join(spec, unroutable, "vethbroken", broken));
        Assert.Equal(ErrorKind.InvalidArgument, unreachable.Kind);
        Assert.True(host.Sandboxes.Exists(network));
        Assert.Equal(1, host.Sandboxes.LocalEndpoints(network));
        Assert.DoesNotContain("vethbroken", host.SandboxIp(network, "link", "show"), StringComparison.Ordinal);
        Assert.True(Poll.Until(() => !InNetns.Run(broken.Handle.Path, "ip", "link", "show", "eth0").Succeeded, Up), "the container end of a failed join stayed");

        // Leave is idempotent, with or without the container.
        host.Sandboxes.Leave(network, unroutable, "vethbroken", broken);
        host.Sandboxes.Leave(network, unroutable, "vethbroken", null);

        // Bad input: refused with every problem named, before anything is made.
        var bad = Assert.Throws<BerthException>(() => host.Sandboxes.Ensure(spec with { Mtu = 40, Port = 0, LocalVtep = IPAddress.Any }));
        Assert.Equal(ErrorKind.InvalidArgument, bad.Kind);
        Assert.Equal($"overlay sandbox of network {network.Short}: MTU 40 is out of range (68 to 65535); VTEP address 0.0.0.0 is not a unicast address of this node; UDP port 0 is not a port; VXLAN's is 4789", bad.Message);
        var ownVtep = Assert.Throws<BerthException>(() => host.Sandboxes.SetPeers(network, [OverlayLab.PeerOf(c1)]));
        Assert.Equal(ErrorKind.InvalidArgument, ownVtep.Kind);
        Assert.Contains("is on this node's own VTEP", ownVtep.Message, StringComparison.Ordinal);
        var ownLink = Assert.Throws<BerthException>(() => host.Sandboxes.Leave(network, c1.Endpoint, "vxlan0", null));
        Assert.Equal(ErrorKind.InvalidArgument, ownLink.Kind);
        var missing = Assert.Throws<BerthException>(() => host.Sandboxes.Peers(NetworkId.New()));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
        Assert.True(host.Sandboxes.Exists(network));
        Assert.Equal(1, host.Sandboxes.LocalEndpoints(network));

        foreach (var ns in new[] { busy, broken })
        {
            ns.Dispose();
            Manager.Delete(ns.Name!);
        }
    }

    [RootFact]
    public void ConcurrentJoinsOnSeveralNetworksAllLandInTheirOwnSandbox()
    {
        using var lab = new OverlayLab(NewLab(), Manager, TestRoot, Runner, hosts: 1);
        var host = lab[1];
        var networks = Enumerable.Range(0, 4).Select(_ => NetworkId.New()).ToList();
        const int PerNetwork = 5;
        var containers = new List<NetworkNamespace>();
        var joins = new List<Task>();
        for (int n = 0; n < networks.Count; n++)
        {
            var spec = new OverlaySandboxSpec(networks[n], Vni + (uint)n, [IPPrefix.Parse("10.0.0.1/24")], 1450, host.Vtep);
            for (int i = 0; i < PerNetwork; i++)
            {
                string name = $"p{n}x{i}";
                var ns = NetworkNamespace.Create(Manager, name);
                var endpoint = OverlayLab.Endpoint(networks[n], name, $"10.0.0.{10 + i}");
                containers.Add(ns);
                joins.Add(Task.Run(() => host.Sandboxes.Join(spec, endpoint, "veth" + name, ns)));
            }
        }

        Task.WaitAll([.. joins], TimeSpan.FromSeconds(60));
        Assert.All(networks, n => Assert.Equal(PerNetwork, host.Sandboxes.LocalEndpoints(n)));
        Assert.Equal(networks.Select(n => n.Value).Order(), host.Sandboxes.List().Select(n => n.Value).Order());

        // Within one sandbox the containers reach each other over br0.
        Assert.True(InNetns.PingWithin(containers[0].Handle.Path, "10.0.0.14", Up), "containers of one overlay on one node cannot reach each other");
        foreach (var ns in containers)
        {
            ns.Dispose();
            Manager.Delete(ns.Name!);
        }

        foreach (var network in networks)
        {
            host.Sandboxes.Remove(network);
        }

        Assert.Empty(host.Namespaces.List());
    }

    /// <summary>
    /// Everything of a sandbox an operator would look at, as the oracles print it. Left out: br0's running
    /// timers and what the kernel's link watcher settles on its own a moment after a link comes up (operstate,
    /// carrier); the administrative UP flag stays in.
    /// </summary>
    private static string Snapshot(OverlayHost host, NetworkId network) => Regex.Replace(
        host.SandboxIp(network, "-d", "link", "show") + host.SandboxIp(network, "addr", "show")
        + host.SandboxIp(network, "neigh", "show", "nud", "permanent") + host.SandboxIp(network, "route", "show", "table", "all")
        + Cmd.Check("nsenter", $"--net={host.SandboxPath(network)}", "bridge", "fdb", "show"),
        @"\w+_timer +[\d.]+| state \S+|,LOWER_UP|NO-CARRIER,|,M-DOWN| tentative(?= )", string.Empty);
}
