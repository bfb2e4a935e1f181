using System.Net;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Routes;
using Berth.Linux.Rules;

namespace Berth.Linux.IntegrationTests.Netlink;

/// <summary>Policy routing rules (<c>ip rule</c>) over rtnetlink: kept, listed, removed, and really steering packets.</summary>
public sealed class RuleTests : LabTest
{
    [RootFact]
    public void RulesAreAddedListedAndDeleted()
    {
        using var ns = NetworkNamespace.Create(Manager, "rules");
        var byMark = RuleSpec.ForMark(0x107, table: 1107, priority: 2107);
        var bySource = new RuleSpec { Source = IPNetwork.Parse("10.51.0.0/16"), InputInterface = "lo", Table = 120, Priority = 2120 };
        ns.Rtnl.Rules.Add(byMark);
        ns.Rtnl.Rules.Add(bySource);

        var listed = ns.Rtnl.Rules.List();
        var mark = Assert.Single(listed, r => r.Priority == 2107);
        Assert.Equal(0x107u, mark.FwMark);
        Assert.Equal(1107, mark.Table);
        Assert.Equal(RuleAction.ToTable, mark.Action);
        var source = Assert.Single(listed, r => r.Priority == 2120);
        Assert.Equal(IPNetwork.Parse("10.51.0.0/16"), source.Source);
        Assert.Equal("lo", source.InputInterface);
        Assert.Equal(120, source.Table);
        Assert.Contains(listed, r => r.Priority == 32766 && r.Table == RouteTable.Main);
        string oracle = InNetns.Ip(ns.Handle.Path, "rule", "show");
        Assert.Contains("2107:\tfrom all fwmark 0x107 lookup 1107", oracle, StringComparison.Ordinal);
        Assert.Contains("2120:\tfrom 10.51.0.0/16 iif lo lookup 120", oracle, StringComparison.Ordinal);

        var e = Assert.Throws<KernelException>(() => ns.Rtnl.Rules.Add(byMark));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.StartsWith("cannot add rule \"2107: from all fwmark 0x107 lookup 1107\": it already exists", e.Message, StringComparison.Ordinal);

        ns.Rtnl.Rules.Delete(byMark);
        Assert.True(ns.Rtnl.Rules.TryDelete(bySource));
        Assert.DoesNotContain(ns.Rtnl.Rules.List(), r => r.Priority is 2107 or 2120);
        Assert.DoesNotContain("2107:", InNetns.Ip(ns.Handle.Path, "rule", "show"), StringComparison.Ordinal);
        e = Assert.Throws<KernelException>(() => ns.Rtnl.Rules.Delete(byMark));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.False(ns.Rtnl.Rules.TryDelete(bySource));
        Close(ns);
    }

    /// <summary>
    /// A router with two ways to 10.52.9.9: the main table sends it to <c>a</c>, which does not have it; table 100
    /// sends it to <c>b</c>, which does. Only packets carrying fwmark 7 while the rule exists reach it.
    /// </summary>
    [RootFact]
    public void AnFwmarkRuleSteersMarkedPacketsToItsTable()
    {
        using var router = NetworkNamespace.Create(Manager, "router");
        using var a = NetworkNamespace.Create(Manager, "a");
        using var b = NetworkNamespace.Create(Manager, "b");
        Wire(router, a, "ra", "10.52.1.1/24", "10.52.1.2/24");
        Wire(router, b, "rb", "10.52.2.1/24", "10.52.2.2/24");
        b.Rtnl.Addresses.Add("lo", IPPrefix.Parse("10.52.9.9/32"));
        var target = IPNetwork.Parse("10.52.9.9/32");
        router.Rtnl.Routes.Add(new RouteSpec { Destination = target, Gateway = IPAddress.Parse("10.52.1.2") });
        router.Rtnl.Routes.Add(new RouteSpec { Destination = target, Gateway = IPAddress.Parse("10.52.2.2"), Table = 100 });
        string path = router.Handle.Path;

        Assert.True(InNetns.PingWithin(path, "10.52.2.2", TimeSpan.FromSeconds(5)), "b must answer on its link first");
        Assert.False(MarkedPing(path, null), "unmarked: the main table sends it to a, which drops it");
        Assert.False(MarkedPing(path, 7), "marked but no rule yet: still the main table");

        var rule = RuleSpec.ForMark(7, table: 100, priority: 1000);
        router.Rtnl.Rules.Add(rule);
        Assert.True(MarkedPing(path, 7), "fwmark 7 must be routed by table 100, to b");
        Assert.False(MarkedPing(path, null), "unmarked packets keep the main table");
        Assert.False(MarkedPing(path, 8), "another mark does not match");

        router.Rtnl.Rules.Delete(rule);
        Assert.False(MarkedPing(path, 7), "with the rule gone the mark steers nothing");
        foreach (var ns in new[] { router, a, b })
        {
            Close(ns);
        }
    }

    private static bool MarkedPing(string netnsPath, uint? mark) =>
        (mark is { } m
            ? InNetns.Run(netnsPath, "ping", "-n", "-c1", "-W1", "-m", m.ToString(System.Globalization.CultureInfo.InvariantCulture), "10.52.9.9")
            : InNetns.Run(netnsPath, "ping", "-n", "-c1", "-W1", "10.52.9.9")).Succeeded;

    private static void Wire(NetworkNamespace router, NetworkNamespace host, string routerEnd, string routerCidr, string hostCidr)
    {
        router.Links.Create(new VethSpec(routerEnd, "eth0") { PeerNamespace = host.Handle, Up = true });
        router.Rtnl.Addresses.Add(routerEnd, IPPrefix.Parse(routerCidr));
        int eth0 = host.Links.Get("eth0").Index;
        var gateway = IPPrefix.Parse(routerCidr).Address;
        host.Rtnl.Pipeline().SetUp("lo").SetUp(eth0).AddAddress(eth0, IPPrefix.Parse(hostCidr)).AddRoute(RouteSpec.DefaultVia(gateway, eth0)).Execute();
    }

    private void Close(NetworkNamespace ns)
    {
        ns.Dispose();
        Manager.Delete(ns.Name!);
    }
}
