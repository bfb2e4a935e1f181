using System.Net;
using Berth.Diagnostics.Doctor;
using Berth.Diagnostics.Doctor.Checks;
using Berth.Linux.Routes;
using Berth.Network.Firewall;

namespace Berth.Diagnostics.Tests.Doctor.Checks;

public sealed class HostChecksTests
{
    [Fact]
    public void Missing_or_changed_tables_and_a_dropping_chain_without_berths_rules_are_problems_with_the_restart_fix()
    {
        var health = new FirewallHealth
        {
            MissingTables = ["bridge berth"],
            ChangedTables = ["inet berth"],
            Bridges = ["berth0", "br-1"],
            ForeignChains =
            [
                new ForeignChainHealth("ip filter FORWARD", "drop", true, ["br-1"]),
                new ForeignChainHealth("ip6 filter FORWARD", "drop", true, []),
                new ForeignChainHealth("inet other forward", "accept", false, []),
            ],
        };

        var findings = HostFirewallCheck.HostFindings(health);

        Assert.Equal(
        [
            "Problem bridge berth: Berth's table bridge berth is missing: bridge networks lose masquerade, isolation and their published ports",
            "Problem inet berth: Berth's table inet berth was changed by someone else: its sets, chains or rules are not those berthd makes",
            "Problem ip filter FORWARD: ip filter FORWARD (policy drop) lacks Berth's accept rules for br-1: their networks' forwarded traffic is dropped there",
            "Ok ip6 filter FORWARD: Berth's accept rules are in place in ip6 filter FORWARD (policy drop)",
        ], findings.Select(f => $"{f.Status} {f.Subject}: {f.Found}"));
        Assert.All(findings.Where(f => f.Status == DoctorStatus.Problem), f => Assert.Equal(DoctorFixes.RestartBerthd, f.Fix));
    }

    [Fact]
    public void Br_netfilter_warns_only_when_a_dropping_chain_lacks_berths_rules()
    {
        var covered = new FirewallHealth { ForeignChains = [new ForeignChainHealth("ip filter FORWARD", "drop", true, [])] };
        var uncovered = new FirewallHealth { ForeignChains = [new ForeignChainHealth("ip filter FORWARD", "drop", true, ["br-1"])] };

        Assert.Equal(DoctorStatus.Ok, BridgeNetfilterCheck.Judge(null, uncovered).Status);
        Assert.Equal(DoctorStatus.Ok, BridgeNetfilterCheck.Judge("0", uncovered).Status);
        Assert.Contains("Berth's accept rules let it through ip filter FORWARD", BridgeNetfilterCheck.Judge("1", covered).Found, StringComparison.Ordinal);
        var warning = BridgeNetfilterCheck.Judge("1", uncovered);
        Assert.Equal(DoctorStatus.Warning, warning.Status);
        Assert.Contains("ip filter FORWARD would drop it for br-1", warning.Found, StringComparison.Ordinal);
    }

    [Fact]
    public void Routes_to_the_networks_own_interfaces_are_fine_and_others_overlapping_it_are_found()
    {
        var network = TestNetworks.Make("frontnet", "bridge", "10.91.0.0/24", "10.91.0.1");
        (RouteInfo, string?)[] routes =
        [
            (new RouteInfo { Destination = IPNetwork.Parse("10.91.0.0/24") }, "br-1"),
            (new RouteInfo { Destination = IPNetwork.Parse("10.91.0.0/16"), Gateway = IPAddress.Parse("10.77.0.20") }, "eth0"),
            (new RouteInfo { Destination = IPNetwork.Parse("10.77.0.0/24") }, "eth0"),
        ];

        var foreign = HostRoutesCheck.Foreign(network, routes, new HashSet<string> { "br-1" }).ToList();

        var (subnet, route, device) = Assert.Single(foreign);
        Assert.Equal(("10.91.0.0/24", "10.91.0.0/16", "eth0"), (subnet.ToString(), route.Destination.ToString(), device));
    }

    [Fact]
    public void A_free_subnet_avoids_every_route_and_network()
    {
        Assert.Equal(IPNetwork.Parse("172.16.1.0/24"), FreeSubnet.Find(24, [IPNetwork.Parse("172.16.0.0/24")]));
        Assert.Equal(IPNetwork.Parse("192.168.0.0/16"), FreeSubnet.Find(16, [IPNetwork.Parse("172.16.0.0/12")]));
    }
}
