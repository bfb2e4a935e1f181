using System.Net;
using Berth.Core.Networks;
using Berth.Network.Services;

namespace Berth.Network.Tests.Services;

/// <summary>The text of a client's load balancing table: the whole table, and changes that touch only what changed.</summary>
public sealed class LoadBalancerRulesetTests
{
    private static readonly NetworkId Overlay = new("a" + new string('1', 63));

    private static LoadBalancedService Web(params string[] backends) => new(
        LoadBalancedService.ChainOf(Overlay, "web1"),
        IPAddress.Parse("10.0.1.2"),
        [new ServiceBindingPort("tcp", 80), new ServiceBindingPort("udp", 53)],
        [.. backends.Select(IPAddress.Parse)]);

    private static Dictionary<string, LoadBalancedService> Of(params LoadBalancedService[] services) => services.ToDictionary(s => s.Chain, StringComparer.Ordinal);

    [Fact]
    public void The_whole_table_has_the_hooks_maps_and_one_chain_per_service_and_backend()
    {
        var web = Web("10.0.1.3", "10.0.1.4");
        string text = LoadBalancerRuleset.Create([web]).Render();
        string svc = web.Chain;
        string ep3 = web.BackendChain(IPAddress.Parse("10.0.1.3"));
        string ep4 = web.BackendChain(IPAddress.Parse("10.0.1.4"));

        Assert.Matches("^svc-[0-9a-f]{16}$", svc);
        Assert.Equal(svc["svc-".Length..], ep3["ep-".Length..(ep3.Length - 9)]);
        Assert.EndsWith("-0a000103", ep3, StringComparison.Ordinal);
        Assert.Contains("type nat hook output priority -100", text, StringComparison.Ordinal);
        Assert.Contains("type nat hook prerouting priority dstnat", text, StringComparison.Ordinal);
        Assert.Contains("type filter hook output priority filter", text, StringComparison.Ordinal);
        Assert.Contains("ip daddr . meta l4proto vmap @vips", text, StringComparison.Ordinal);
        Assert.Contains("ip daddr . meta l4proto vmap @no-backends", text, StringComparison.Ordinal);
        Assert.Contains("add map ip berth-lb vips { type ipv4_addr . inet_proto : verdict", text, StringComparison.Ordinal);
        Assert.Contains("meta l4proto tcp reject with tcp reset", text, StringComparison.Ordinal);
        Assert.Contains($"add rule ip berth-lb {ep3} dnat ip to 10.0.1.3", text, StringComparison.Ordinal);
        Assert.Contains($"add rule ip berth-lb {svc} numgen random mod 2 vmap {{ 0 : goto {ep3}, 1 : goto {ep4} }}", text, StringComparison.Ordinal);
        Assert.Contains($"add element ip berth-lb vips {{ 10.0.1.2 . tcp : goto {svc}, 10.0.1.2 . udp : goto {svc} }}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vip_without_backends_is_refused_and_gains_its_chain_when_one_comes()
    {
        var empty = Web();
        string created = LoadBalancerRuleset.Create([empty]).Render();
        Assert.Contains("add element ip berth-lb no-backends { 10.0.1.2 . tcp : goto refuse, 10.0.1.2 . udp : goto refuse }", created, StringComparison.Ordinal);
        Assert.DoesNotContain("numgen", created, StringComparison.Ordinal);

        var one = Web("10.0.1.3");
        var lines = LoadBalancerRuleset.Change(Of(empty), Of(one)).Commands;
        string ep3 = one.BackendChain(IPAddress.Parse("10.0.1.3"));
        Assert.Equal(
        [
            $"add chain ip berth-lb {ep3}",
            $"add rule ip berth-lb {ep3} dnat ip to 10.0.1.3",
            $"flush chain ip berth-lb {one.Chain}",
            $"add rule ip berth-lb {one.Chain} numgen random mod 1 vmap {{ 0 : goto {ep3} }}",
            "delete element ip berth-lb no-backends { 10.0.1.2 . tcp, 10.0.1.2 . udp }",
            $"add element ip berth-lb vips {{ 10.0.1.2 . tcp : goto {one.Chain}, 10.0.1.2 . udp : goto {one.Chain} }}",
        ], lines);
    }

    [Fact]
    public void A_backend_leaving_rewrites_one_chain_and_deletes_its_own_with_no_element_touched()
    {
        var before = Web("10.0.1.3", "10.0.1.4");
        var after = Web("10.0.1.4");
        var lines = LoadBalancerRuleset.Change(Of(before), Of(after)).Commands;
        Assert.Equal(
        [
            $"flush chain ip berth-lb {after.Chain}",
            $"add rule ip berth-lb {after.Chain} numgen random mod 1 vmap {{ 0 : goto {after.BackendChain(IPAddress.Parse("10.0.1.4"))} }}",
            $"delete chain ip berth-lb {before.BackendChain(IPAddress.Parse("10.0.1.3"))}",
        ], lines);
        Assert.Empty(LoadBalancerRuleset.Change(Of(after), Of(Web("10.0.1.4"))).Commands);
    }

    [Fact]
    public void A_service_removed_takes_its_elements_and_chains()
    {
        var web = Web("10.0.1.3");
        var lines = LoadBalancerRuleset.Change(Of(web), Of()).Commands;
        Assert.Equal(
        [
            "delete element ip berth-lb vips { 10.0.1.2 . tcp, 10.0.1.2 . udp }",
            $"flush chain ip berth-lb {web.Chain}",
            $"delete chain ip berth-lb {web.Chain}",
            $"delete chain ip berth-lb {web.BackendChain(IPAddress.Parse("10.0.1.3"))}",
        ], lines);
    }

    [Fact]
    public void Only_vip_services_with_an_ipv4_vip_are_balanced()
    {
        var vip = new ServiceBinding { NetworkId = Overlay, ServiceId = "a", Name = "a", Vip = IPAddress.Parse("10.0.1.9"), Ports = [new ServiceBindingPort("tcp", 1)] };
        var dnsrr = new ServiceBinding { NetworkId = Overlay, ServiceId = "b", Name = "b", Mode = ServiceEndpointMode.Dnsrr };
        var view = ServiceTable.Compute(Overlay, [vip, dnsrr], []);
        var desired = ServiceLoadBalancer.Desired([view]);
        Assert.Equal([LoadBalancedService.ChainOf(Overlay, "a")], desired.Keys);
    }
}
