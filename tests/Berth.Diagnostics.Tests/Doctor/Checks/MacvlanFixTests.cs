using System.Net;
using Berth.Diagnostics.Doctor.Checks;
using Berth.Network.Drivers;

namespace Berth.Diagnostics.Tests.Doctor.Checks;

public sealed class MacvlanFixTests
{
    [Fact]
    public void The_shim_gets_the_highest_free_address_outside_the_ip_range()
    {
        var network = TestNetworks.Make("plain", "macvlan", "10.77.0.0/24", "10.77.0.1", "10.77.0.48/28", ("parent", "eth0"));
        var allocation = network.Subnets[0];
        var range = MacvlanShimAddress.ContainerRange(allocation, [IPAddress.Parse("10.77.0.50")])!.Value;

        var free = MacvlanShimAddress.FreeHostAddress(allocation, range, new HashSet<IPAddress> { IPAddress.Parse("10.77.0.254"), IPAddress.Parse("10.77.0.10") });

        Assert.Equal(IPNetwork.Parse("10.77.0.48/28"), range);
        Assert.Equal(IPAddress.Parse("10.77.0.253"), free);
        Assert.Equal(
            "berth network rm plain && berth network create -d macvlan --subnet 10.77.0.0/24 --gateway 10.77.0.1 --ip-range 10.77.0.48/28 -o parent=eth0 --host-address 10.77.0.253 plain",
            NetworkRecreateCommand.Build(network, network.Subnets, hostAddress: free));
    }

    [Fact]
    public void Without_an_ip_range_the_containers_get_the_half_they_are_in_and_the_host_an_address_of_the_other()
    {
        var allocation = TestNetworks.Make("plain", "macvlan", "10.77.0.0/24", "10.77.0.1").Subnets[0];

        var range = MacvlanShimAddress.ContainerRange(allocation, [IPAddress.Parse("10.77.0.2"), IPAddress.Parse("10.77.0.60")])!.Value;

        Assert.Equal(IPNetwork.Parse("10.77.0.0/25"), range);
        Assert.Equal(IPAddress.Parse("10.77.0.254"), MacvlanShimAddress.FreeHostAddress(allocation, range, new HashSet<IPAddress>()));
        Assert.Null(MacvlanShimAddress.ContainerRange(allocation, [IPAddress.Parse("10.77.0.2"), IPAddress.Parse("10.77.0.200")]));
    }

    [Fact]
    public void Two_networks_on_one_parent_overlap_only_when_their_subnets_do()
    {
        var a = TestNetworks.Make("a", "macvlan", "10.77.0.0/24");
        var b = TestNetworks.Make("b", "macvlan", "10.77.0.128/25");
        var c = TestNetworks.Make("c", "macvlan", "10.78.0.0/24");
        var d = TestNetworks.Make("d", "macvlan", "10.77.0.0/24");
        var onEth0 = new NetworkHostView { Parent = "eth0" };

        var overlaps = MacvlanCheck.SharedParentOverlaps([(a, onEth0), (b, onEth0), (c, onEth0), (d, new NetworkHostView { Parent = "eth1" })]).ToList();

        var (first, second, subnetA, subnetB) = Assert.Single(overlaps);
        Assert.Equal(("a", "b", "10.77.0.0/24", "10.77.0.128/25"), (first.Name, second.Name, subnetA.ToString(), subnetB.ToString()));
    }
}
