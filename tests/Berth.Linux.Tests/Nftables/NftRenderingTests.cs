using System.Collections.Immutable;
using System.Net;
using Berth.Linux.Nftables;

namespace Berth.Linux.Tests.Nftables;

public class NftRenderingTests
{
    private static readonly NftTableRef Berth = new(NftFamily.Inet, "berth");

    [Fact]
    public void Values_render_as_nft_text()
    {
        Assert.Equal("10.0.0.1", NftAddress.Parse("10.0.0.1").Render());
        Assert.Equal("fd00::1", NftAddress.Parse("fd00::1").Render());
        Assert.Equal("10.0.0.0/24", NftPrefix.Parse("10.0.0.77/24").Render());
        Assert.Equal("fd00::/64", NftPrefix.Parse("fd00::5/64").Render());
        Assert.Equal("8000-8100", new NftRange(new NftPort(8000), new NftPort(8100)).Render());
        Assert.Equal("\"br-abc\"", new NftInterfaceName("br-abc").Render());
        Assert.Equal("02:42:ac:11:00:02", NftMac.Parse("02-42-AC-11-00-02").Render());
        Assert.Equal("42", new NftInteger(42).Render());
        Assert.Equal("10.0.0.2 . 80", new NftConcat(NftAddress.Parse("10.0.0.2"), new NftPort(80)).Render());
        Assert.Equal("jump fwd_abc", NftVerdict.Jump("fwd_abc").Render());
        Assert.Equal("goto x", NftVerdict.Goto("x").Render());
        Assert.Equal("drop", NftVerdict.Drop.Render());
        Assert.Equal("@allowed", new NftSetRef("allowed").Render());
        Assert.Equal("established,related", new NftCtStateValue(NftCtState.Related | NftCtState.Established).Render());
    }

    [Fact]
    public void Rules_render_statements_in_order_with_comment()
    {
        var rule = new NftRule(
            new NftMatch(NftSelector.Iifname, new NftInterfaceName("br0")),
            new NftMatch(NftSelector.IpDaddr, NftPrefix.Parse("10.0.0.0/8"), NftOperator.NotEqual),
            new NftMatch(NftSelector.CtState, new NftCtStateValue(NftCtState.Established | NftCtState.Related)),
            new NftMatch(NftSelector.IpSaddr, new NftSetRef("allowed")),
            NftCounter.Instance,
            new NftVerdictStatement(NftVerdict.Accept)).WithComment("ctr 1234");

        Assert.Equal(
            "iifname \"br0\" ip daddr != 10.0.0.0/8 ct state established,related ip saddr @allowed counter accept comment \"ctr 1234\"",
            rule.Render());
    }

    [Fact]
    public void Nat_statements_render_with_family_and_port()
    {
        Assert.Equal("dnat ip to 10.0.0.2:80", new NftNat(NftNatKind.Dnat, NftAddress.Parse("10.0.0.2"), 80).Render());
        Assert.Equal("dnat ip6 to [fd00::2]:80", new NftNat(NftNatKind.Dnat, NftAddress.Parse("fd00::2"), 80).Render());
        Assert.Equal("snat ip to 192.0.2.1", new NftNat(NftNatKind.Snat, NftAddress.Parse("192.0.2.1")).Render());
        Assert.Equal("masquerade", NftMasquerade.Instance.Render());
        Assert.Equal("reject with tcp reset", new NftReject(TcpReset: true).Render());
        Assert.Equal(
            "dnat ip to ip daddr . tcp dport map @portmap",
            new NftNatMap(NftNatKind.Dnat, ipv6: false, NftSelector.Concat(NftSelector.IpDaddr, NftSelector.TcpDport), "portmap").Render());
        Assert.Equal("iifname vmap @bridges", new NftVerdictMapLookup(NftSelector.Iifname, "bridges").Render());
    }

    [Fact]
    public void Priorities_render_as_number_or_name_with_offset()
    {
        Assert.Equal("-100", NftPriority.Number(-100).Render());
        Assert.Equal("dstnat", NftPriority.Dstnat.Render());
        Assert.Equal("filter + 10", NftPriority.Named(NftPriorityName.Filter, 10).Render());
        Assert.Equal("srcnat - 5", NftPriority.Named(NftPriorityName.Srcnat, -5).Render());
    }

    [Fact]
    public void Replace_table_renders_the_atomic_idiom_in_dependency_order()
    {
        var table = new NftTable(
            Berth,
            chains:
            [
                new NftChain("pre", new NftBaseChain(NftChainType.Nat, NftHook.Prerouting, NftPriority.Dstnat, NftPolicy.Accept),
                [
                    new NftRule(new NftNatMap(NftNatKind.Dnat, false, NftSelector.TcpDport, "portmap")),
                ]),
                new NftChain("fwd_abc"),
            ],
            sets:
            [
                new NftSet("allowed", NftType.Of(NftBasicType.Ipv4Addr, NftBasicType.InetService), NftSetFlags.Interval,
                    [new NftConcat(NftPrefix.Parse("10.0.0.0/24"), new NftRange(new NftPort(80), new NftPort(90)))]),
            ],
            maps:
            [
                new NftMap("portmap", NftType.InetService, NftType.Of(NftBasicType.Ipv4Addr, NftBasicType.InetService),
                    elements: [new NftElement(new NftPort(8080), new NftConcat(NftAddress.Parse("10.0.0.2"), new NftPort(80)))]),
                NftMap.Verdicts("bridges", NftType.Ifname, [new NftElement(new NftInterfaceName("br-abc"), NftVerdict.Jump("fwd_abc"))]),
            ]);

        string text = new NftBatch().ReplaceTable(table).Render();

        Assert.Equal(
            """
            add table inet berth
            delete table inet berth
            add table inet berth
            add chain inet berth pre { type nat hook prerouting priority dstnat; policy accept; }
            add chain inet berth fwd_abc
            add set inet berth allowed { type ipv4_addr . inet_service; flags interval; }
            add element inet berth allowed { 10.0.0.0/24 . 80-90 }
            add map inet berth portmap { type inet_service : ipv4_addr . inet_service; }
            add element inet berth portmap { 8080 : 10.0.0.2 . 80 }
            add map inet berth bridges { type ifname : verdict; }
            add element inet berth bridges { "br-abc" : jump fwd_abc }
            add rule inet berth pre dnat ip to tcp dport map @portmap

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Batch_element_and_chain_operations_render_one_line_each()
    {
        var batch = new NftBatch()
            .AddElements(Berth, "portmap", [new NftElement(new NftPort(8080), new NftConcat(NftAddress.Parse("10.0.0.2"), new NftPort(80)))])
            .DeleteElements(Berth, "portmap", [new NftElement(new NftPort(8081), new NftConcat(NftAddress.Parse("10.0.0.3"), new NftPort(80))), new NftPort(8082)])
            .AddElements(Berth, "allowed", [NftAddress.Parse("10.0.0.1"), NftPrefix.Parse("10.1.0.0/16")])
            .FlushChain(Berth, "forwarding")
            .AddRule(Berth, "forwarding", new NftRule(new NftMatch(NftSelector.TcpDport, new NftPort(22)), new NftVerdictStatement(NftVerdict.Drop)))
            .AddChain(Berth, new NftChain("input", new NftBaseChain(NftChainType.Filter, NftHook.Input, NftPriority.Filter, NftPolicy.Drop)))
            .AddChain(new NftTableRef(NftFamily.Netdev, "berth_nd"),
                new NftChain("ing", new NftBaseChain(NftChainType.Filter, NftHook.Ingress, NftPriority.Number(-500), device: new NftInterfaceName("eth0"))))
            .DeleteTable(new NftTableRef(NftFamily.Ip, "old"));

        Assert.Equal(
            [
                "add element inet berth portmap { 8080 : 10.0.0.2 . 80 }",
                "delete element inet berth portmap { 8081, 8082 }",
                "add element inet berth allowed { 10.0.0.1, 10.1.0.0/16 }",
                "flush chain inet berth forwarding",
                "add rule inet berth forwarding tcp dport 22 drop",
                "add chain inet berth input { type filter hook input priority filter; policy drop; }",
                "add chain netdev berth_nd ing { type filter hook ingress device \"eth0\" priority -500; }",
                "add table ip old",
                "delete table ip old",
            ],
            batch.Commands);
        Assert.Equal(9, batch.Count);
        Assert.StartsWith("a batch of 9 nftables commands starting with \"add element inet berth portmap", batch.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv6_prefix_from_network_is_masked()
    {
        Assert.Equal("fd00:1::/32", new NftPrefix(new IPNetwork(IPAddress.Parse("fd00:1::"), 32)).Render());
    }

    [Fact]
    public void Model_records_compare_by_content()
    {
        var a = new NftRule(new NftMatch(NftSelector.IpDaddr, NftAddress.Parse("10.0.0.1")), NftCounter.Instance);
        var b = new NftRule(ImmutableArray.Create<NftStatement>(new NftMatch(NftSelector.IpDaddr, NftAddress.Parse("10.0.0.1")), NftCounter.Instance));
        Assert.Equal(a, b);
        Assert.Equal(NftMac.Parse("02:42:ac:11:00:02"), NftMac.Parse("02-42-ac-11-00-02"));
    }
}
