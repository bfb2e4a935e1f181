using System.Net;
using Berth.Core.Errors;
using Berth.Core.Ports;
using Berth.Network.Firewall;

namespace Berth.Network.Tests.Firewall;

public class FirewallRenderingTests
{
    private static readonly string Fp = FirewallRuleset.Fingerprint;

    private static BridgeRules Rules(bool masquerade = true, bool icc = true, bool @internal = false, params string[] subnets) =>
        new("br-0123456789ab", [.. (subnets.Length == 0 ? ["172.18.0.0/16", "fd00:18::/64"] : subnets).Select(IPNetwork.Parse)], masquerade, icc, @internal);

    [Fact]
    public void Base_tables_render_as_expected()
    {
        string expected = $$"""
            add table inet berth
            delete table inet berth
            add table inet berth
            add chain inet berth forward { type filter hook forward priority filter; policy accept; }
            add chain inet berth postrouting { type nat hook postrouting priority srcnat; policy accept; }
            add chain inet berth prerouting { type nat hook prerouting priority dstnat; policy accept; }
            add chain inet berth output { type nat hook output priority -100; policy accept; }
            add chain inet berth mark_published { type filter hook prerouting priority dstnat + 10; policy accept; }
            add chain inet berth mark_forward { type filter hook forward priority filter - 10; policy accept; }
            add chain inet berth guard { type filter hook prerouting priority raw; policy accept; }
            add set inet berth bridges { type ifname; }
            add set inet berth entries { type ifname; }
            add set inet berth same_bridge { type ifname . ifname; }
            add set inet berth internal { type ifname; }
            add set inet berth masq_v4 { type ipv4_addr; flags interval; }
            add set inet berth masq_v6 { type ipv6_addr; flags interval; }
            add set inet berth own_v4 { type ipv4_addr . ifname; flags interval; }
            add set inet berth own_v6 { type ipv6_addr . ifname; flags interval; }
            add set inet berth subnets_v4 { type ipv4_addr . ifname; flags interval; }
            add set inet berth subnets_v6 { type ipv6_addr . ifname; flags interval; }
            add map inet berth ports_any_v4 { type inet_proto . inet_service : ipv4_addr . inet_service; }
            add map inet berth ports_any_v6 { type inet_proto . inet_service : ipv6_addr . inet_service; }
            add map inet berth ports_addr_v4 { type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; }
            add map inet berth ports_addr_v6 { type ipv6_addr . inet_proto . inet_service : ipv6_addr . inet_service; }
            add rule inet berth forward iifname . oifname @same_bridge accept comment "berth: one network's own bridged traffic (br_netfilter) [{{Fp}}]"
            add rule inet berth forward iifname @internal counter drop comment "berth: internal network: nothing routed out [{{Fp}}]"
            add rule inet berth forward oifname @internal counter drop comment "berth: internal network: nothing routed in [{{Fp}}]"
            add rule inet berth forward ct state established,related accept comment "berth: return traffic [{{Fp}}]"
            add rule inet berth forward ct status dnat accept comment "berth: published ports: reachable from every network, as from outside [{{Fp}}]"
            add rule inet berth forward iifname @bridges oifname @bridges counter drop comment "berth: isolation between networks [{{Fp}}]"
            add rule inet berth postrouting ip saddr @masq_v4 ip saddr . oifname != @own_v4 masquerade comment "berth: masquerade IPv4 leaving a network [{{Fp}}]"
            add rule inet berth postrouting ip6 saddr @masq_v6 ip6 saddr . oifname != @own_v6 masquerade comment "berth: masquerade IPv6 leaving a network [{{Fp}}]"
            add rule inet berth postrouting ct status dnat ip saddr 127.0.0.0/8 masquerade comment "berth: published port reached from the host's loopback [{{Fp}}]"
            add rule inet berth postrouting ct status dnat ip saddr . oifname @subnets_v4 masquerade comment "berth: published port reached from its own network (hairpin), IPv4 [{{Fp}}]"
            add rule inet berth postrouting ct status dnat ip6 saddr . oifname @subnets_v6 masquerade comment "berth: published port reached from its own network (hairpin), IPv6 [{{Fp}}]"
            add rule inet berth prerouting ip daddr 127.0.0.0/8 return comment "berth: loopback destinations are never translated for packets from outside [{{Fp}}]"
            add rule inet berth prerouting ip6 daddr ::1/128 return comment "berth: loopback destinations are never translated for packets from outside, IPv6 [{{Fp}}]"
            add rule inet berth prerouting dnat ip to ip daddr . meta l4proto . th dport map @ports_addr_v4 comment "berth: published ports bound to one address, IPv4 [{{Fp}}]"
            add rule inet berth prerouting fib daddr type local dnat ip to meta l4proto . th dport map @ports_any_v4 comment "berth: published ports bound to every address, IPv4 [{{Fp}}]"
            add rule inet berth prerouting dnat ip6 to ip6 daddr . meta l4proto . th dport map @ports_addr_v6 comment "berth: published ports bound to one address, IPv6 [{{Fp}}]"
            add rule inet berth prerouting fib daddr type local dnat ip6 to meta l4proto . th dport map @ports_any_v6 comment "berth: published ports bound to every address, IPv6 [{{Fp}}]"
            add rule inet berth output dnat ip to ip daddr . meta l4proto . th dport map @ports_addr_v4 comment "berth: published ports bound to one address, IPv4 [{{Fp}}]"
            add rule inet berth output fib daddr type local dnat ip to meta l4proto . th dport map @ports_any_v4 comment "berth: published ports bound to every address, IPv4 [{{Fp}}]"
            add rule inet berth output dnat ip6 to ip6 daddr . meta l4proto . th dport map @ports_addr_v6 comment "berth: published ports bound to one address, IPv6 [{{Fp}}]"
            add rule inet berth output fib daddr type local dnat ip6 to meta l4proto . th dport map @ports_any_v6 comment "berth: published ports bound to every address, IPv6 [{{Fp}}]"
            add rule inet berth mark_published ct status dnat meta mark set meta mark or 0x00100000 comment "berth: mark packets of published-port connections (the bridge family has no conntrack here) [{{Fp}}]"
            add rule inet berth mark_forward oifname @bridges ct state established,related meta mark set meta mark or 0x00200000 comment "berth: mark return traffic into a network for other tables' forward chains [{{Fp}}]"
            add rule inet berth mark_forward oifname @bridges ct status dnat meta mark set meta mark or 0x00200000 comment "berth: mark published-port traffic into a network for other tables' forward chains [{{Fp}}]"
            add rule inet berth mark_forward oifname @entries ct state established,related meta mark set meta mark or 0x00200000 comment "berth: mark return traffic through an entry for other tables' forward chains [{{Fp}}]"
            add rule inet berth mark_forward oifname @entries ct status dnat meta mark set meta mark or 0x00200000 comment "berth: mark routing-mesh traffic through an entry for other tables' forward chains [{{Fp}}]"
            add rule inet berth guard iifname @bridges ip daddr 127.0.0.0/8 counter drop comment "berth: no way from a network to the host's loopback (route_localnet is on for published ports) [{{Fp}}]"
            add table bridge berth
            delete table bridge berth
            add table bridge berth
            add chain bridge berth forward { type filter hook forward priority filter; policy accept; }
            add set bridge berth no_icc_v4 { type ipv4_addr . ipv4_addr; flags interval; }
            add set bridge berth no_icc_v6 { type ipv6_addr . ipv6_addr; flags interval; }
            add rule bridge berth forward meta mark and 0x00100000 != 0 accept comment "berth: published ports stay reachable from neighbours (br_netfilter bridges a DNATed frame straight across) [{{Fp}}]"
            add rule bridge berth forward ip saddr . ip daddr @no_icc_v4 counter drop comment "berth: enable_icc=false, IPv4 [{{Fp}}]"
            add rule bridge berth forward ip6 saddr . ip6 daddr @no_icc_v6 counter drop comment "berth: enable_icc=false, IPv6 [{{Fp}}]"

            """;
        Assert.Equal(expected, NftablesNetworkFirewall.RenderTables().Render());
    }

    [Fact]
    public void The_fingerprint_is_eight_hex_digits()
    {
        Assert.Matches("^[0-9a-f]{8}$", Fp);
    }

    [Fact]
    public void A_default_network_is_isolated_and_masqueraded()
    {
        string expected = """
            add element inet berth bridges { "br-0123456789ab" }
            add element inet berth same_bridge { "br-0123456789ab" . "br-0123456789ab" }
            add element inet berth subnets_v4 { 172.18.0.0/16 . "br-0123456789ab" }
            add element inet berth subnets_v6 { fd00:18::/64 . "br-0123456789ab" }
            add element inet berth masq_v4 { 172.18.0.0/16 }
            add element inet berth own_v4 { 172.18.0.0/16 . "br-0123456789ab" }
            add element inet berth masq_v6 { fd00:18::/64 }
            add element inet berth own_v6 { fd00:18::/64 . "br-0123456789ab" }

            """;
        Assert.Equal(expected, NftablesNetworkFirewall.RenderAdd(Rules()).Render());
    }

    [Fact]
    public void Without_masquerade_a_network_only_joins_the_isolation_sets()
    {
        string expected = """
            add element inet berth bridges { "br-0123456789ab" }
            add element inet berth same_bridge { "br-0123456789ab" . "br-0123456789ab" }
            add element inet berth subnets_v4 { 172.18.0.0/16 . "br-0123456789ab" }
            add element inet berth subnets_v6 { fd00:18::/64 . "br-0123456789ab" }

            """;
        Assert.Equal(expected, NftablesNetworkFirewall.RenderAdd(Rules(masquerade: false)).Render());
    }

    [Fact]
    public void An_internal_network_is_never_masqueraded()
    {
        string expected = """
            add element inet berth bridges { "br-0123456789ab" }
            add element inet berth same_bridge { "br-0123456789ab" . "br-0123456789ab" }
            add element inet berth subnets_v4 { 172.18.0.0/16 . "br-0123456789ab" }
            add element inet berth subnets_v6 { fd00:18::/64 . "br-0123456789ab" }
            add element inet berth internal { "br-0123456789ab" }

            """;
        Assert.Equal(expected, NftablesNetworkFirewall.RenderAdd(Rules(masquerade: true, @internal: true)).Render());
    }

    [Fact]
    public void Icc_off_adds_every_subnet_pair_of_one_family()
    {
        string expected = """
            add element inet berth bridges { "br-0123456789ab" }
            add element inet berth same_bridge { "br-0123456789ab" . "br-0123456789ab" }
            add element inet berth subnets_v4 { 10.1.0.0/24 . "br-0123456789ab", 10.2.0.0/24 . "br-0123456789ab" }
            add element inet berth masq_v4 { 10.1.0.0/24, 10.2.0.0/24 }
            add element inet berth own_v4 { 10.1.0.0/24 . "br-0123456789ab", 10.2.0.0/24 . "br-0123456789ab" }
            add element bridge berth no_icc_v4 { 10.1.0.0/24 . 10.1.0.0/24, 10.1.0.0/24 . 10.2.0.0/24, 10.2.0.0/24 . 10.1.0.0/24, 10.2.0.0/24 . 10.2.0.0/24 }

            """;
        Assert.Equal(expected, NftablesNetworkFirewall.RenderAdd(Rules(icc: false, subnets: ["10.1.0.0/24", "10.2.0.0/24"])).Render());
    }

    [Fact]
    public void Removing_adds_then_deletes_so_missing_elements_do_not_fail()
    {
        string expected = """
            add element inet berth bridges { "br-0123456789ab" }
            add element inet berth same_bridge { "br-0123456789ab" . "br-0123456789ab" }
            add element inet berth subnets_v4 { 10.9.0.0/24 . "br-0123456789ab" }
            add element inet berth internal { "br-0123456789ab" }
            add element bridge berth no_icc_v4 { 10.9.0.0/24 . 10.9.0.0/24 }
            delete element inet berth bridges { "br-0123456789ab" }
            delete element inet berth same_bridge { "br-0123456789ab" . "br-0123456789ab" }
            delete element inet berth subnets_v4 { 10.9.0.0/24 . "br-0123456789ab" }
            delete element inet berth internal { "br-0123456789ab" }
            delete element bridge berth no_icc_v4 { 10.9.0.0/24 . 10.9.0.0/24 }

            """;
        Assert.Equal(expected, NftablesNetworkFirewall.RenderRemove(Rules(icc: false, @internal: true, subnets: ["10.9.0.0/24"])).Render());
    }

    [Fact]
    public void A_published_port_is_one_map_element_keyed_by_protocol_address_and_port()
    {
        var web = new PublishedPort(new ContainerPort(80, PortProtocol.Tcp), IPAddress.Any, 8080, IPAddress.Parse("172.18.0.2"));
        var local = new PublishedPort(new ContainerPort(53, PortProtocol.Udp), IPAddress.Loopback, 5353, IPAddress.Parse("172.18.0.2"));
        var v6 = new PublishedPort(new ContainerPort(80, PortProtocol.Tcp), IPAddress.IPv6Any, 8080, IPAddress.Parse("fd00:18::2"));
        Assert.Equal(("ports_any_v4", "tcp . 8080 : 172.18.0.2 . 80"), Render(FirewallRuleset.PortElement(web)));
        Assert.Equal(("ports_addr_v4", "127.0.0.1 . udp . 5353 : 172.18.0.2 . 53"), Render(FirewallRuleset.PortElement(local)));
        Assert.Equal(("ports_any_v6", "tcp . 8080 : fd00:18::2 . 80"), Render(FirewallRuleset.PortElement(v6)));

        static (string, string) Render((string Map, Linux.Nftables.NftElement Element) e) => (e.Map, e.Element.Render());
    }

    [Fact]
    public void The_disabled_firewall_refuses_to_publish_and_says_how_to_get_it()
    {
        var port = new PublishedPort(new ContainerPort(80, PortProtocol.Tcp), IPAddress.Any, 8080, IPAddress.Parse("172.18.0.2"));
        var e = Assert.Throws<BerthException>(() => DisabledFirewall.Instance.AddPorts([port]));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("--firewall nftables", e.Message, StringComparison.Ordinal);
        DisabledFirewall.Instance.AddPorts([]);
        DisabledFirewall.Instance.RemovePorts([port]);
    }

    [Fact]
    public void Invalid_rules_report_every_problem_at_once()
    {
        var rules = new BridgeRules("bad name\"", [IPNetwork.Parse("10.0.0.0/24"), IPNetwork.Parse("10.0.0.0/24")]);
        var e = Assert.Throws<BerthException>(() => NftablesNetworkFirewall.RenderAdd(rules));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("bridge name", e.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.0/24 is listed twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_compare_by_value()
    {
        Assert.Equal(Rules(), Rules());
        Assert.NotEqual(Rules(), Rules(icc: false));
    }

    [Fact]
    public void The_disabled_firewall_does_nothing_and_has_nothing_to_restore()
    {
        var firewall = DisabledFirewall.Instance;
        firewall.Initialize();
        firewall.AddBridge(Rules());
        Assert.True(firewall.HasBridge(Rules()));
        firewall.RemoveBridge(Rules());
        firewall.RemoveAll();
    }
}
