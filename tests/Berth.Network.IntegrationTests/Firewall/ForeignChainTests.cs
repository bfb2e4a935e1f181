using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Network.Firewall;
using static Berth.Network.IntegrationTests.Firewall.FirewallLab;

namespace Berth.Network.IntegrationTests.Firewall;

/// <summary>
/// Berth's accept rules in other tools' forward chains, by traffic: iptables-nft's FORWARD with policy DROP and a
/// firewalld-like inet table ending in a reject. Without Berth's rules the container's traffic is dropped; with them it
/// flows; iptables still reads its table; the rules go with the network and the other rules stay as they were.
/// </summary>
public sealed class ForeignChainTests : LabTest
{
    [RootFact]
    public void Other_tools_drop_policies_and_rejects_let_Berths_networks_through_and_keep_their_own_rules()
    {
        using var lab = new FirewallLab(Manager);
        using var a1 = lab.AddContainer("a1", BridgeA, "10.51.0.2");
        string net = $"--net={lab.Host.Handle.Path}";
        Cmd.Check("nsenter", net, "iptables", "-t", "nat", "-A", "POSTROUTING", "-s", "10.99.0.0/16", "-j", "MASQUERADE");
        Cmd.Check("nsenter", net, "iptables", "-A", "FORWARD", "-i", "lo", "-j", "ACCEPT");
        Cmd.Check("nsenter", net, "iptables", "-P", "FORWARD", "DROP");
        Cmd.Check("nsenter", net, "nft", "add table inet fwd_like; add chain inet fwd_like filter_FORWARD { type filter hook forward priority filter + 10; policy accept; }; add rule inet fwd_like filter_FORWARD reject with icmpx type admin-prohibited");
        string iptablesBefore = Cmd.Check("nsenter", net, "iptables", "-S");
        string firewalldBefore = Cmd.Check("nsenter", net, "nft", "list", "table", "inet", "fwd_like");

        var firewall = new NftablesNetworkFirewall(lab.Host.Nft);
        firewall.Initialize();
        Assert.True(Reaches(a1, GatewayA), "a1 cannot reach its gateway");
        Assert.False(ReachesOnce(a1, OutsideAddress), "a1 reached outside through FORWARD DROP before Berth added its network: the test proves nothing");

        firewall.AddBridge(new BridgeRules(BridgeA, [SubnetA]));
        Assert.True(Reaches(a1, OutsideAddress), "a1 cannot reach outside beside FORWARD DROP and the reject\n" + Cmd.Check("nsenter", net, "nft", "-a", "list", "ruleset"));
        Assert.Contains($"-A FORWARD -i {BridgeA} -m comment --comment \"berth:{BridgeA}\" -j ACCEPT", Cmd.Check("nsenter", net, "iptables", "-S"), StringComparison.Ordinal);
        Assert.Contains($"comment \"berth:{BridgeA}\"", Cmd.Check("nsenter", net, "nft", "list", "table", "inet", "fwd_like"), StringComparison.Ordinal);

        // A reload of the other tool: re-added by the next reconcile, and traffic flows again.
        Cmd.Check("nsenter", net, "iptables", "-F", "FORWARD");
        Cmd.Check("nsenter", net, "iptables", "-A", "FORWARD", "-i", "lo", "-j", "ACCEPT");
        Assert.False(ReachesOnce(a1, OutsideAddress), "a1 reached outside after the other tool's reload removed Berth's rule");
        firewall.ReconcileForeignChains();
        Assert.True(Reaches(a1, OutsideAddress), "a1 cannot reach outside after Berth re-added its rules");

        firewall.RemoveBridge(new BridgeRules(BridgeA, [SubnetA]));
        Assert.Equal(iptablesBefore, Cmd.Check("nsenter", net, "iptables", "-S"));
        Assert.Equal(firewalldBefore, Cmd.Check("nsenter", net, "nft", "list", "table", "inet", "fwd_like"));
        firewall.RemoveAll();
        firewall.Dispose();
    }

    [RootFact]
    public void An_entry_interface_gets_the_same_accept_rules_in_other_tools_chains_and_loses_them_with_it()
    {
        using var lab = new FirewallLab(Manager);
        string net = $"--net={lab.Host.Handle.Path}";
        Cmd.Check("nsenter", net, "iptables", "-P", "FORWARD", "DROP");
        string iptablesBefore = Cmd.Check("nsenter", net, "iptables", "-S");
        var firewall = new NftablesNetworkFirewall(lab.Host.Nft);
        firewall.Initialize();

        firewall.AddEntry("ingress0");
        firewall.AddEntry("ingress0"); // again: nothing doubled
        string[] rules = [.. Cmd.Check("nsenter", net, "iptables", "-S", "FORWARD").Split('\n').Where(l => l.Contains("berth:ingress0", StringComparison.Ordinal))];
        Assert.Equal(2, rules.Length);
        Assert.Equal("-A FORWARD -i ingress0 -m comment --comment \"berth:ingress0\" -j ACCEPT", rules[0]);
        Assert.StartsWith("-A FORWARD -o ingress0 -m mark ! --mark 0x0/0x200000", rules[1], StringComparison.Ordinal); // marked by mark_forward
        Assert.Contains("oifname @entries ct status dnat", Cmd.Check("nsenter", net, "nft", "list", "chain", "inet", "berth", "mark_forward"), StringComparison.Ordinal);

        firewall.RemoveEntry("ingress0");
        Assert.Equal(iptablesBefore, Cmd.Check("nsenter", net, "iptables", "-S"));
        firewall.RemoveAll();
        firewall.Dispose();
    }
}
