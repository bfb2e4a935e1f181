using Berth.Network.Firewall;

namespace Berth.Network.Tests.Firewall;

/// <summary>The shape check reads nft's JSON listing; these listings are what nft 1.0.6 prints.</summary>
public class FirewallShapeTests
{
    private static string BridgeListing(string comment4, string comment6, string flags = "[\"interval\"]") => $$$"""
        {"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
        {"table": {"family": "bridge", "name": "berth", "handle": 1}},
        {"set": {"family": "bridge", "name": "no_icc_v4", "table": "berth", "type": ["ipv4_addr", "ipv4_addr"], "handle": 2, "flags": {{{flags}}}, "elem": [{"concat": [{"prefix": {"addr": "10.0.0.0", "len": 24}}, {"prefix": {"addr": "10.0.0.0", "len": 24}}]}]}},
        {"set": {"family": "bridge", "name": "no_icc_v6", "table": "berth", "type": ["ipv6_addr", "ipv6_addr"], "handle": 3, "flags": ["interval"]}},
        {"chain": {"family": "bridge", "table": "berth", "name": "forward", "handle": 1, "type": "filter", "hook": "forward", "prio": -200, "policy": "accept"}},
        {"rule": {"family": "bridge", "table": "berth", "chain": "forward", "handle": 6, "comment": "{{{Comment("published ports stay reachable from neighbours (br_netfilter bridges a DNATed frame straight across)")}}}", "expr": []}},
        {"rule": {"family": "bridge", "table": "berth", "chain": "forward", "handle": 4, "comment": "{{{comment4}}}", "expr": []}},
        {"rule": {"family": "bridge", "table": "berth", "chain": "forward", "handle": 5, "comment": "{{{comment6}}}", "expr": []}}]}
        """;

    private static string Comment(string what) => $"berth: {what} [{FirewallRuleset.Fingerprint}]";

    [Fact]
    public void A_table_with_our_shape_matches_whatever_its_elements()
    {
        Assert.True(FirewallShape.Matches(BridgeListing(Comment("enable_icc=false, IPv4"), Comment("enable_icc=false, IPv6")), FirewallRuleset.Tables[1]));
    }

    [Fact]
    public void A_table_from_another_version_does_not_match()
    {
        Assert.False(FirewallShape.Matches(BridgeListing("berth: enable_icc=false, IPv4 [00000000]", Comment("enable_icc=false, IPv6")), FirewallRuleset.Tables[1]));
    }

    [Fact]
    public void A_set_with_other_flags_does_not_match()
    {
        Assert.False(FirewallShape.Matches(BridgeListing(Comment("enable_icc=false, IPv4"), Comment("enable_icc=false, IPv6"), flags: "[]"), FirewallRuleset.Tables[1]));
    }

    [Fact]
    public void An_empty_listing_does_not_match()
    {
        Assert.False(FirewallShape.Matches("""{"nftables": []}""", FirewallRuleset.Tables[0]));
    }
}
