using System.Net;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Nftables;
using Berth.Network.Firewall;
using static Berth.Network.IntegrationTests.Firewall.FirewallLab;

namespace Berth.Network.IntegrationTests.Firewall;

/// <summary>
/// The bridge-network firewall against real packets in a lab: masquerade, isolation, internal networks,
/// enable_icc=false, removal, restart, and a user's own table that must stay untouched throughout.
/// </summary>
public sealed class NftablesNetworkFirewallTests : LabTest
{
    private static readonly NftTableRef UserTable = new(NftFamily.Inet, "usertable");

    private static BridgeRules NetworkA(bool masquerade = true, bool icc = true, bool @internal = false) =>
        new(BridgeA, [SubnetA], masquerade, icc, @internal);

    private static BridgeRules NetworkB() => new(BridgeB, [SubnetB], Masquerade: true, InterContainerCommunication: true, Internal: false);

    [RootFact]
    public void A_container_reaches_outside_as_the_host_and_with_masquerade_off_as_itself()
    {
        using var lab = new FirewallLab(Manager);
        using var a1 = lab.AddContainer("a1", BridgeA, "10.51.0.2");
        var firewall = Initialized(lab);

        firewall.AddBridge(NetworkA(masquerade: true));
        Assert.Equal(HostUplink, lab.SourceSeenOutside(a1, 8081));

        firewall.RemoveBridge(NetworkA(masquerade: true));
        firewall.AddBridge(NetworkA(masquerade: false));
        Assert.Equal(IPAddress.Parse("10.51.0.2"), lab.SourceSeenOutside(a1, 8082));

        // The container's traffic to its own gateway is never masqueraded (own_v4 excludes its own bridge).
        firewall.RemoveBridge(NetworkA(masquerade: false));
        firewall.AddBridge(NetworkA(masquerade: true));
        using var listener = TcpProbe.Listen(lab.Host, new IPEndPoint(GatewayA, 8083));
        var accepted = Task.Run(() => ((IPEndPoint)listener.AcceptAsync().WaitAsync(LinkUp).GetAwaiter().GetResult().RemoteEndPoint!).Address);
        Assert.Null(TcpProbe.Send(a1, new IPEndPoint(GatewayA, 8083), "hi", LinkUp));
        Assert.Equal(IPAddress.Parse("10.51.0.2"), accepted.GetAwaiter().GetResult());

        Finish(lab, firewall);
    }

    [RootFact]
    public void Networks_are_isolated_from_each_other_but_reach_their_gateways()
    {
        using var lab = new FirewallLab(Manager);
        using var a1 = lab.AddContainer("a1", BridgeA, "10.51.0.2");
        using var b1 = lab.AddContainer("b1", BridgeB, "10.52.0.2");
        var firewall = Initialized(lab);

        // Without elements the tables drop nothing: the host routes between the bridges.
        Assert.True(Reaches(a1, IPAddress.Parse("10.52.0.2")), "before any network is added, a1 should reach b1 through the host");

        firewall.AddBridge(NetworkA());
        firewall.AddBridge(NetworkB());
        Assert.False(ReachesOnce(a1, IPAddress.Parse("10.52.0.2")), "a1 on network A reached b1 on network B");
        Assert.False(ReachesOnce(b1, IPAddress.Parse("10.51.0.2")), "b1 on network B reached a1 on network A");
        Assert.Equal(HostUplink, lab.SourceSeenOutside(b1, 8084));
        Assert.True(ReachesOnce(a1, GatewayA), "a1 cannot reach its gateway");
        Assert.True(ReachesOnce(b1, GatewayB), "b1 cannot reach its gateway");
        Assert.True(ReachesOnce(a1, OutsideAddress), "a1 cannot reach outside");

        firewall.RemoveBridge(NetworkB());
        Assert.True(Reaches(a1, IPAddress.Parse("10.52.0.2")), "after network B's rules were removed, a1 should reach b1 again");

        Finish(lab, firewall);
    }

    [RootFact]
    public void An_internal_network_neither_reaches_outside_nor_is_reached_but_works_inside()
    {
        using var lab = new FirewallLab(Manager);
        using var a1 = lab.AddContainer("a1", BridgeA, "10.51.0.2");
        using var a2 = lab.AddContainer("a2", BridgeA, "10.51.0.3");
        var firewall = Initialized(lab);
        Assert.True(Reaches(a1, OutsideAddress), "before the rules, a1 should reach outside");

        firewall.AddBridge(NetworkA(@internal: true));
        Assert.False(ReachesOnce(a1, OutsideAddress), "a1 on an internal network reached outside");
        Assert.Null(lab.SourceSeenOutside(a1, 8085));
        Assert.False(ReachesOnce(lab.Outside, IPAddress.Parse("10.51.0.2")), "outside reached a1 on an internal network");
        Assert.True(ReachesOnce(a1, GatewayA), "a1 cannot reach its gateway on an internal network");
        Assert.True(ReachesOnce(a1, IPAddress.Parse("10.51.0.3")), "a1 cannot reach a2 on the same internal network");
        Assert.DoesNotContain("10.51.0.0/24", lab.Host.Nft.ListElements(NftFamily.Inet, "berth", FirewallRuleset.MasqueradeV4));

        firewall.RemoveBridge(NetworkA(@internal: true));
        Assert.True(Reaches(a1, OutsideAddress), "after its rules were removed, a1 should reach outside again");

        Finish(lab, firewall);
    }

    [RootFact]
    public void With_icc_off_containers_of_one_network_only_reach_the_gateway()
    {
        using var lab = new FirewallLab(Manager);
        using var a1 = lab.AddContainer("a1", BridgeA, "10.51.0.2");
        using var a2 = lab.AddContainer("a2", BridgeA, "10.51.0.3");
        var firewall = Initialized(lab);

        firewall.AddBridge(NetworkA(icc: true));
        Assert.True(Reaches(a1, IPAddress.Parse("10.51.0.3")), "with icc on, a1 cannot reach a2");

        firewall.RemoveBridge(NetworkA(icc: true));
        firewall.AddBridge(NetworkA(icc: false));
        Assert.False(ReachesOnce(a1, IPAddress.Parse("10.51.0.3")), "with icc off, a1 reached a2");
        Assert.False(ReachesOnce(a2, IPAddress.Parse("10.51.0.2")), "with icc off, a2 reached a1");
        Assert.True(ReachesOnce(a1, GatewayA), "with icc off, a1 cannot reach its gateway");
        Assert.True(ReachesOnce(a2, GatewayA), "with icc off, a2 cannot reach its gateway");
        Assert.Equal(HostUplink, lab.SourceSeenOutside(a1, 8086));

        firewall.RemoveBridge(NetworkA(icc: false));
        Assert.Empty(lab.Host.Nft.ListElements(NftFamily.Bridge, "berth", FirewallRuleset.NoIccV4));
        Assert.True(Reaches(a1, IPAddress.Parse("10.51.0.3")), "after the rules were removed, a1 cannot reach a2");

        Finish(lab, firewall);
    }

    [RootFact]
    public void Removing_leaves_no_elements_repeats_harmlessly_and_remove_all_leaves_no_table()
    {
        using var lab = new FirewallLab(Manager);
        var firewall = Initialized(lab);
        var a = NetworkA(icc: false);
        firewall.AddBridge(a);
        firewall.AddBridge(a); // adding again changes nothing
        Assert.True(firewall.HasBridge(a));
        Assert.Equal(["\"br-a\""], lab.Host.Nft.ListElements(NftFamily.Inet, "berth", FirewallRuleset.Bridges));
        Assert.Equal(["10.51.0.0/24 . \"br-a\""], lab.Host.Nft.ListElements(NftFamily.Inet, "berth", FirewallRuleset.OwnBridgeV4));
        Assert.Equal(["10.51.0.0/24 . 10.51.0.0/24"], lab.Host.Nft.ListElements(NftFamily.Bridge, "berth", FirewallRuleset.NoIccV4));

        firewall.RemoveBridge(a);
        Assert.False(firewall.HasBridge(a));
        foreach (var table in FirewallRuleset.Tables)
        {
            foreach (var set in table.Sets)
            {
                Assert.Empty(lab.Host.Nft.ListElements(table.Reference.Family, table.Reference.Name, set.Name));
            }
        }

        firewall.RemoveBridge(a); // again: nothing to remove, no error
        firewall.RemoveAll();
        Assert.DoesNotContain(lab.Host.Nft.ListTables(), t => t.Name == "berth");
        firewall.RemoveBridge(a); // without tables: nothing to remove, no error
        firewall.RemoveAll();
        Finish(lab, firewall);
    }

    [RootFact]
    public void A_restart_keeps_the_elements_and_a_table_of_another_shape_is_replaced()
    {
        using var lab = new FirewallLab(Manager);
        var firewall = Initialized(lab);
        firewall.AddBridge(NetworkA());
        string before = Cmd.Check("nsenter", $"--net={lab.Host.Handle.Path}", "nft", "list", "table", "inet", "berth");

        var restarted = new NftablesNetworkFirewall(lab.Host.Nft);
        restarted.Initialize();
        Assert.True(restarted.HasBridge(NetworkA()));
        Assert.Equal(before, Cmd.Check("nsenter", $"--net={lab.Host.Handle.Path}", "nft", "list", "table", "inet", "berth"));

        // An older Berth's table: same name, other rules. Initialize replaces it; reconcile re-adds the network.
        var old = new NftTableRef(NftFamily.Inet, "berth");
        lab.Host.Nft.Apply(new NftBatch().ReplaceTable(new NftTable(old,
            chains: [new NftChain("forward", new NftBaseChain(NftChainType.Filter, NftHook.Forward, NftPriority.Filter, NftPolicy.Accept))],
            sets: [new NftSet("bridges", NftType.Ifname, elements: [new NftInterfaceName(BridgeA)])])));
        restarted.Initialize();
        Assert.False(restarted.HasBridge(NetworkA()));
        restarted.AddBridge(NetworkA());
        Assert.True(restarted.HasBridge(NetworkA()));
        Assert.Equal(before, Cmd.Check("nsenter", $"--net={lab.Host.Handle.Path}", "nft", "list", "table", "inet", "berth"));

        Finish(lab, restarted);
    }

    /// <summary>A user's table with a rule and an element, then Berth's tables, in the lab host.</summary>
    private static NftablesNetworkFirewall Initialized(FirewallLab lab)
    {
        lab.Host.Nft.Apply(new NftBatch().ReplaceTable(new NftTable(UserTable,
            chains:
            [
                new NftChain("input", new NftBaseChain(NftChainType.Filter, NftHook.Input, NftPriority.Filter, NftPolicy.Accept),
                    [new NftRule(new NftMatch(NftSelector.IpSaddr, new NftSetRef("blocked")), new NftVerdictStatement(NftVerdict.Drop))]),
            ],
            sets: [new NftSet("blocked", NftType.Ipv4Addr, elements: [NftAddress.Parse("192.0.2.1")])])));
        var firewall = new NftablesNetworkFirewall(lab.Host.Nft);
        firewall.Initialize();
        firewall.Initialize(); // idempotent
        Assert.Contains(new NftTableRef(NftFamily.Inet, "berth"), lab.Host.Nft.ListTables());
        Assert.Contains(new NftTableRef(NftFamily.Bridge, "berth"), lab.Host.Nft.ListTables());
        return firewall;
    }

    /// <summary>Removes Berth's tables and checks the user's table is exactly as it was made.</summary>
    private static void Finish(FirewallLab lab, NftablesNetworkFirewall firewall)
    {
        firewall.RemoveAll();
        var tables = lab.Host.Nft.ListTables();
        Assert.DoesNotContain(tables, t => t.Name == "berth");
        Assert.Contains(UserTable, tables);
        Assert.Equal(["192.0.2.1"], lab.Host.Nft.ListElements(NftFamily.Inet, "usertable", "blocked"));
        string user = Cmd.Check("nsenter", $"--net={lab.Host.Handle.Path}", "nft", "list", "table", "inet", "usertable");
        Assert.Contains("ip saddr @blocked drop", user, StringComparison.Ordinal);
    }
}
