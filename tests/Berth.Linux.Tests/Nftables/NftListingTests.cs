using Berth.Linux.Nftables;

namespace Berth.Linux.Tests.Nftables;

/// <summary>Parsing other tools' chains: what iptables-nft, Docker and firewalld leave must never make Berth fail.</summary>
public class NftListingTests
{
    // nft 1.0.6 -j list chains, with iptables-nft (ip nat, ip filter: nft keywords as names), firewalld and oddities.
    private const string Chains = """
        {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}},
         {"chain": {"family": "ip", "table": "nat", "name": "POSTROUTING", "handle": 1, "type": "nat", "hook": "postrouting", "prio": 100, "policy": "accept"}},
         {"chain": {"family": "ip", "table": "filter", "name": "FORWARD", "handle": 1, "type": "filter", "hook": "forward", "prio": 0, "policy": "drop"}},
         {"chain": {"family": "ip", "table": "filter", "name": "DOCKER-USER", "handle": 7}},
         {"chain": {"family": "inet", "table": "firewalld", "name": "filter_FORWARD", "handle": 3, "type": "filter", "hook": "forward", "prio": 10, "policy": "accept"}},
         {"chain": {"family": "netdev", "table": "t", "name": "ingress", "type": "filter", "hook": "ingress", "prio": {"future": 1}, "dev": ["eth0", "eth1"], "policy": "accept"}},
         {"chain": {"family": "ip", "table": "x", "name": "has space", "type": "filter", "hook": "forward", "prio": 0, "policy": "drop"}},
         {"chain": {"family": "future", "table": "x", "name": "c"}},
         {"chain": {"family": "ip", "table": 5, "name": "c"}},
         {"chain": "not an object"},
         {"flowtable": {"family": "inet", "table": "t", "name": "ft"}},
         {"something_new": {"family": "ip"}}
        ]}
        """;

    [Fact]
    public void Chains_of_other_tools_parse_and_what_cannot_be_named_is_skipped()
    {
        var chains = NftListing.ParseChains(Chains);
        Assert.Equal(
            [
                new NftChainInfo(new NftChainRef(NftFamily.Ip, "nat", "POSTROUTING"), "nat", "postrouting", 100, "accept"),
                new NftChainInfo(new NftChainRef(NftFamily.Ip, "filter", "FORWARD"), "filter", "forward", 0, "drop"),
                new NftChainInfo(new NftChainRef(NftFamily.Ip, "filter", "DOCKER-USER"), null, null, null, null),
                new NftChainInfo(new NftChainRef(NftFamily.Inet, "firewalld", "filter_FORWARD"), "filter", "forward", 10, "accept"),
                new NftChainInfo(new NftChainRef(NftFamily.Netdev, "t", "ingress"), "filter", "ingress", null, "accept"),
            ],
            chains);
        Assert.False(chains[2].IsBaseChain);
        Assert.Equal("ip filter FORWARD", chains[1].Chain.ToString());
    }

    [Fact]
    public void Rules_give_handles_comments_and_verdicts_even_from_xt_matches_and_vmaps()
    {
        var forward = new NftChainRef(NftFamily.Ip, "filter", "FORWARD");
        const string Json = """
            {"nftables": [{"metainfo": {"version": "1.0.6"}},
             {"chain": {"family": "ip", "table": "filter", "name": "FORWARD", "handle": 1, "type": "filter", "hook": "forward", "prio": 0, "policy": "drop"}},
             {"rule": {"family": "ip", "table": "filter", "chain": "FORWARD", "handle": 9, "comment": "berth:br-x", "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "br-x"}}, {"accept": null}]}},
             {"rule": {"family": "ip", "table": "filter", "chain": "FORWARD", "handle": 4, "expr": [{"counter": {"packets": 0, "bytes": 0}}, {"jump": {"target": "DOCKER-USER"}}]}},
             {"rule": {"family": "ip", "table": "filter", "chain": "FORWARD", "handle": 5, "expr": [{"xt": {"type": "match", "name": "conntrack"}}, {"accept": null}]}},
             {"rule": {"family": "ip", "table": "filter", "chain": "FORWARD", "handle": 6, "expr": [{"vmap": {"key": {"meta": {"key": "iifname"}}, "data": {"set": [["eth0", {"drop": null}]]}}}]}},
             {"rule": {"family": "ip", "table": "filter", "chain": "FORWARD", "handle": 7, "expr": [{"reject": {"type": "icmpx", "expr": "admin-prohibited"}}]}},
             {"rule": {"family": "ip", "table": "filter", "chain": "FORWARD", "handle": 8, "expr": [{"some_future_statement": {"x": [1, 2]}}]}},
             {"rule": {"family": "ip", "table": "filter", "chain": "FORWARD", "handle": "not a number", "expr": []}},
             {"rule": {"family": "ip", "table": "filter", "chain": "OTHER", "handle": 10, "expr": [{"drop": null}]}}
            ]}
            """;
        var rules = NftListing.ParseRules(Json, forward);
        Assert.Equal([9L, 4, 5, 6, 7, 8], rules.Select(r => r.Handle));
        Assert.Equal("berth:br-x", rules[0].Comment);
        Assert.Equal(["accept"], rules[0].Verdicts.AsEnumerable());
        Assert.Equal([false, true, false, true, true, false], rules.Select(r => r.MayDrop));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("{\"nftables\": 5}")]
    [InlineData("{\"nftables\": []}")]
    public void Listings_of_unknown_shape_give_nothing(string json)
    {
        Assert.Empty(NftListing.ParseChains(json));
        Assert.Empty(NftListing.ParseRules(json, new NftChainRef(NftFamily.Ip, "filter", "FORWARD")));
    }

    [Fact]
    public void Foreign_chains_render_with_keyword_names_that_Berth_cannot_use_for_its_own()
    {
        var batch = new NftBatch()
            .InsertRule(new NftChainRef(NftFamily.Ip6, "filter", "FORWARD"), new NftRule(new NftMatch(NftSelector.Iifname, new NftInterfaceName("br-x")), new NftVerdictStatement(NftVerdict.Accept)).WithComment("berth:br-x"))
            .DeleteRule(new NftChainRef(NftFamily.Ip, "filter", "FORWARD"), 12);
        Assert.Equal("insert rule ip6 filter FORWARD iifname \"br-x\" accept comment \"berth:br-x\"\ndelete rule ip filter FORWARD handle 12\n", batch.Render());
        Assert.Throws<Berth.Core.Errors.BerthException>(() => new NftTableRef(NftFamily.Ip, "filter"));
        Assert.Throws<Berth.Core.Errors.BerthException>(() => new NftChainRef(NftFamily.Ip, "filter", "bad;name"));
        Assert.Throws<Berth.Core.Errors.BerthException>(() => new NftBatch().DeleteRule(new NftChainRef(NftFamily.Ip, "filter", "FORWARD"), 0));
    }
}
