using Berth.Linux.Nftables;
using Berth.Network.Firewall;

namespace Berth.Network.Tests.Firewall;

/// <summary>Berth's accept rules in other tools' forward chains: rendering and the plan that keeps them exact.</summary>
public class ForeignChainsTests
{
    private static readonly NftChainRef IptablesForward = new(NftFamily.Ip, "filter", "FORWARD");

    private static NftChainInfo Forward(NftChainRef chain, string policy = "drop") => new(chain, "filter", "forward", 0, policy);

    private static NftRuleInfo Rule(long handle, string? comment, params string[] verdicts) => new(handle, comment, [.. verdicts]);

    [Fact]
    public void Accept_rules_render_in_a_form_iptables_nft_can_read_back()
    {
        var rules = NftablesNetworkFirewall.RenderForeignAccept("br-0123456789ab");
        Assert.Equal(
            [
                "iifname \"br-0123456789ab\" accept comment \"berth:br-0123456789ab\"",
                "oifname \"br-0123456789ab\" meta mark and 0x00200000 != 0 accept comment \"berth:br-0123456789ab\"",
            ],
            rules.Select(r => r.Render()));
    }

    [Fact]
    public void A_drop_policy_chain_gets_both_rules_per_bridge_at_the_top_in_order()
    {
        var batch = ForeignChains.Plan([(Forward(IptablesForward), [Rule(2, null, "accept")])], new HashSet<string> { "br-b", "berth0" });
        Assert.Equal("""
            insert rule ip filter FORWARD oifname "berth0" meta mark and 0x00200000 != 0 accept comment "berth:berth0"
            insert rule ip filter FORWARD iifname "berth0" accept comment "berth:berth0"
            insert rule ip filter FORWARD oifname "br-b" meta mark and 0x00200000 != 0 accept comment "berth:br-b"
            insert rule ip filter FORWARD iifname "br-b" accept comment "berth:br-b"

            """, batch.Render());
    }

    [Fact]
    public void Rules_in_place_change_nothing_stale_and_broken_ones_are_replaced_and_foreign_rules_never_named()
    {
        var rules = new[]
        {
            Rule(9, "berth:br-a", "accept"), Rule(8, "berth:br-a", "accept"),      // complete: kept
            Rule(7, "berth:br-gone", "accept"), Rule(6, "berth:br-gone", "accept"), // network gone: removed
            Rule(5, "berth:br-half", "accept"),                                       // one of two: replaced
            Rule(4, "berth: a user's own rule with a space", "drop"),                 // not Berth's
            Rule(3, "docker", "jump"),
        };
        var batch = ForeignChains.Plan([(Forward(IptablesForward), rules)], new HashSet<string> { "br-a", "br-half" });
        Assert.Equal("""
            delete rule ip filter FORWARD handle 7
            delete rule ip filter FORWARD handle 6
            delete rule ip filter FORWARD handle 5
            insert rule ip filter FORWARD oifname "br-half" meta mark and 0x00200000 != 0 accept comment "berth:br-half"
            insert rule ip filter FORWARD iifname "br-half" accept comment "berth:br-half"

            """, batch.Render());
    }

    [Fact]
    public void Chains_that_cannot_drop_and_chains_that_are_not_forward_filters_or_are_Berths_get_nothing()
    {
        var bridges = new HashSet<string> { "br-a" };
        var acceptOnly = Forward(new NftChainRef(NftFamily.Inet, "usertable", "fwd"), policy: "accept");
        var withReject = Forward(new NftChainRef(NftFamily.Inet, "firewalld", "filter_FORWARD"), policy: "accept");
        var nat = new NftChainInfo(new NftChainRef(NftFamily.Ip, "nat", "POSTROUTING"), "nat", "postrouting", 100, "accept");
        var bridgeFamily = Forward(new NftChainRef(NftFamily.Bridge, "filter", "FORWARD"));
        var berths = Forward(new NftChainRef(NftFamily.Inet, "berth", "forward"));
        var regular = new NftChainInfo(new NftChainRef(NftFamily.Ip, "filter", "DOCKER-USER"), null, null, null, null);
        var batch = ForeignChains.Plan(
            [
                (acceptOnly, [Rule(3, null, "accept"), Rule(4, "berth:br-a", "accept"), Rule(5, "berth:br-a", "accept")]),
                (withReject, [Rule(2, null, "reject")]),
                (nat, []), (bridgeFamily, []), (berths, []), (regular, []),
            ],
            bridges);
        Assert.Equal("""
            delete rule inet usertable fwd handle 4
            delete rule inet usertable fwd handle 5
            insert rule inet firewalld filter_FORWARD oifname "br-a" meta mark and 0x00200000 != 0 accept comment "berth:br-a"
            insert rule inet firewalld filter_FORWARD iifname "br-a" accept comment "berth:br-a"

            """, batch.Render());
    }

    [Fact]
    public void No_bridges_removes_every_Berth_rule_and_only_those()
    {
        var batch = ForeignChains.Plan([(Forward(IptablesForward), [Rule(3, "berth:berth0", "accept"), Rule(2, "berth:berth0", "accept"), Rule(1, null, "accept")])], new HashSet<string>());
        Assert.Equal("delete rule ip filter FORWARD handle 3\ndelete rule ip filter FORWARD handle 2\n", batch.Render());
    }
}
