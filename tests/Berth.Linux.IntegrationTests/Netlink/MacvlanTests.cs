using System.Net;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Routes;

namespace Berth.Linux.IntegrationTests.Netlink;

/// <summary>
/// macvlans created by Berth straight into container namespaces, on the NIC of a lab "docker host"
/// that sits on a lab LAN beside another LAN machine.
/// </summary>
public sealed class MacvlanTests : LabTest
{
    private static readonly TimeSpan LinkUp = TimeSpan.FromSeconds(5);

    [RootFact]
    public void BridgeModeConnectsContainersToEachOtherAndToTheLan()
    {
        var (lab, dockerHost, lanPeer) = BuildLan();
        using var host = NetworkNamespace.OpenPath(dockerHost.NetnsPath, Runner);
        using var c1 = AddContainer(host, "c1", MacvlanMode.Bridge, "10.92.0.50/24");
        using var c2 = AddContainer(host, "c2", MacvlanMode.Bridge, "10.92.0.51/24");

        Assert.True(InNetns.PingWithin(c1.Handle.Path, "10.92.0.51", LinkUp), "bridge mode: c1 cannot reach c2");
        Assert.True(lanPeer.PingWithin("10.92.0.50", LinkUp), "a LAN machine cannot reach the macvlan container");
        Assert.Equal(MacvlanMode.Bridge, c1.Links.Get("eth0").MacvlanMode);

        // The kernel rule behind the guide's problem: the parent never hands a macvlan's traffic to its own host.
        Assert.False(dockerHost.Ping("10.92.0.50"), "the host reached its own macvlan container through the parent");

        // The guide's "method A": a macvlan shim on the host, with a route to the container through it.
        host.Links.Create(new MacvlanSpec("shim0", "eth0", MacvlanMode.Bridge) { Up = true });
        host.Rtnl.Addresses.Add("shim0", IPPrefix.Parse("10.92.0.240/32"));
        host.Rtnl.Routes.Add(new RouteSpec { Destination = IPNetwork.Parse("10.92.0.50/32"), Device = "shim0" });
        Assert.True(dockerHost.PingWithin("10.92.0.50", LinkUp), "the host cannot reach its macvlan container through the shim");

        RemoveAll(c1, c2);
    }

    [RootFact]
    public void PrivateModeIsolatesContainersOnOneParent()
    {
        var (_, dockerHost, lanPeer) = BuildLan();
        using var host = NetworkNamespace.OpenPath(dockerHost.NetnsPath, Runner);
        using var c1 = AddContainer(host, "c1", MacvlanMode.Private, "10.92.0.50/24");
        using var c2 = AddContainer(host, "c2", MacvlanMode.Private, "10.92.0.51/24");

        // Both are alive on the LAN ...
        Assert.True(lanPeer.PingWithin("10.92.0.50", LinkUp), "private mode: the LAN cannot reach c1");
        Assert.True(lanPeer.PingWithin("10.92.0.51", LinkUp), "private mode: the LAN cannot reach c2");

        // ... but not to each other.
        Assert.False(InNetns.Ping(c1.Handle.Path, "10.92.0.51"), "private mode let c1 reach c2");
        Assert.Equal(MacvlanMode.Private, c1.Links.Get("eth0").MacvlanMode);
        RemoveAll(c1, c2);
    }

    [RootFact]
    public void VepaModeSendsNeighbourTrafficThroughTheSwitch()
    {
        var (lab, dockerHost, lanPeer) = BuildLan();
        using var host = NetworkNamespace.OpenPath(dockerHost.NetnsPath, Runner);
        using var c1 = AddContainer(host, "c1", MacvlanMode.Vepa, "10.92.0.50/24");
        using var c2 = AddContainer(host, "c2", MacvlanMode.Vepa, "10.92.0.51/24");
        Assert.True(lanPeer.PingWithin("10.92.0.50", LinkUp), "vepa mode: the LAN cannot reach c1");

        // A plain switch does not send a frame back out of the port it came in on.
        Assert.False(InNetns.Ping(c1.Handle.Path, "10.92.0.51"), "vepa reached c2 without a hairpinning switch");

        // A VEPA-capable switch (hairpin on the port) reflects it: now c1 reaches c2, through the LAN.
        foreach (string port in LanPorts(lab))
        {
            Cmd.Check("ip", "-n", LanNetns(lab), "link", "set", "dev", port, "type", "bridge_slave", "hairpin", "on");
        }

        Assert.True(InNetns.PingWithin(c1.Handle.Path, "10.92.0.51", LinkUp), "vepa: c1 cannot reach c2 through a hairpinning switch");
        RemoveAll(c1, c2);
    }

    [RootFact]
    public void PassthruModeTakesTheWholeParent()
    {
        var (_, dockerHost, lanPeer) = BuildLan();
        using var host = NetworkNamespace.OpenPath(dockerHost.NetnsPath, Runner);
        using var c1 = AddContainer(host, "c1", MacvlanMode.Passthru, "10.92.0.50/24");
        Assert.True(lanPeer.PingWithin("10.92.0.50", LinkUp), "passthru: the LAN cannot reach c1");

        using var c2 = NetworkNamespace.Create(Manager, "c2");
        var e = Assert.Throws<KernelException>(() => host.Links.Create(new MacvlanSpec("eth0", "eth0", MacvlanMode.Passthru) { Namespace = c2.Handle }));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Contains("a passthru macvlan already owns that parent", e.Message, StringComparison.Ordinal);
        RemoveAll(c1, c2);
    }

    private (Lab Lab, LabHost DockerHost, LabHost LanPeer) BuildLan()
    {
        var lab = NewLab();
        var lan = lab.AddLan("lan");
        var dockerHost = lab.AddHost("dh");
        var lanPeer = lab.AddHost("peer");
        lab.Connect(dockerHost, lan, "eth0", "10.92.0.10/24");
        lab.Connect(lanPeer, lan, "eth0", "10.92.0.20/24");
        lanNetns[lab] = lan.NetnsName;
        return (lab, dockerHost, lanPeer);
    }

    private readonly Dictionary<Lab, string> lanNetns = [];

    private string LanNetns(Lab lab) => lanNetns[lab];

    private IEnumerable<string> LanPorts(Lab lab) =>
        Cmd.Check("ip", "-n", LanNetns(lab), "-o", "link", "show", "master", LabLan.Bridge)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':')[1].Trim().Split('@')[0]);

    /// <summary>A container namespace whose eth0 is a macvlan of the docker host's eth0, created in place.</summary>
    private NetworkNamespace AddContainer(NetworkNamespace host, string name, MacvlanMode mode, string cidr)
    {
        var container = NetworkNamespace.Create(Manager, name);
        host.Links.Create(new MacvlanSpec("eth0", "eth0", mode) { Namespace = container.Handle });
        int eth0 = container.Links.Get("eth0").Index;
        container.Rtnl.Pipeline().SetUp("lo").SetUp(eth0).AddAddress(eth0, IPPrefix.Parse(cidr)).Execute();
        return container;
    }

    private void RemoveAll(params NetworkNamespace[] containers)
    {
        foreach (var container in containers)
        {
            container.Dispose();
            Manager.Delete(container.Name!);
        }
    }
}
