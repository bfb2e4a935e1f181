using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Ipam;
using static Berth.Network.Tests.Ipam.IpamTestData;

namespace Berth.Network.Tests.Ipam;

public class NetworkIpamPoolTests
{
    private readonly NetworkIpam _ipam = new();

    [Fact]
    public void First_network_gets_172_17_with_gateway_dot_1()
    {
        var result = _ipam.Allocate(Config("bridge"), NoNetworks, NoHostNetworks);
        var only = Assert.Single(result);
        Assert.Equal(Net("172.17.0.0/16"), only.Subnet);
        Assert.Equal(Ip("172.17.0.1"), only.Gateway);
        Assert.Null(only.IPRange);
        Assert.Empty(only.AuxiliaryAddresses);
        Assert.False(only.Requested);
    }

    [Fact]
    public void Pools_are_taken_in_order_skipping_existing_networks()
    {
        var existing = new List<NetworkState>();
        for (int i = 17; i <= 31; i++)
        {
            var picked = Assert.Single(_ipam.Allocate(Config($"n{i}"), existing, NoHostNetworks));
            Assert.Equal(Net($"172.{i}.0.0/16"), picked.Subnet);
            existing.Add(State($"n{i}", picked.Subnet.ToString()));
        }

        // After 172.31 come the /20s of 192.168.0.0/16.
        for (int i = 0; i < 16; i++)
        {
            var picked = Assert.Single(_ipam.Allocate(Config($"c{i}"), existing, NoHostNetworks));
            Assert.Equal(Net($"192.168.{i * 16}.0/20"), picked.Subnet);
            Assert.Equal(Ip($"192.168.{i * 16}.1"), picked.Gateway);
            existing.Add(State($"c{i}", picked.Subnet.ToString()));
        }

        var error = Fails(() => _ipam.Allocate(Config("onetoomany"), existing, NoHostNetworks));
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.StartsWith(
            "network \"onetoomany\": could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hole_left_by_a_removed_network_is_reused_first()
    {
        var existing = new[] { State("a", "172.17.0.0/16"), State("c", "172.19.0.0/16") };
        var picked = Assert.Single(_ipam.Allocate(Config("b"), existing, NoHostNetworks));
        Assert.Equal(Net("172.18.0.0/16"), picked.Subnet);
    }

    [Fact]
    public void Pools_skip_host_routes_and_addresses()
    {
        IPNetwork[] host = [Net("172.17.0.0/16"), Net("172.18.5.0/24"), Net("0.0.0.0/0"), Net("fd00::/8")];
        var picked = Assert.Single(_ipam.Allocate(Config("n"), NoNetworks, host));
        Assert.Equal(Net("172.19.0.0/16"), picked.Subnet);
    }

    [Fact]
    public void Pools_skip_a_smaller_existing_subnet_inside_a_pool()
    {
        var existing = new[] { State("frontnet", "172.17.4.0/24") };
        var picked = Assert.Single(_ipam.Allocate(Config("n"), existing, NoHostNetworks));
        Assert.Equal(Net("172.18.0.0/16"), picked.Subnet);
    }

    [Fact]
    public void Config_only_networks_hold_no_subnet()
    {
        var configOnly = State("tmpl", "172.17.0.0/16") with { Config = new NetworkConfig { Name = "tmpl", ConfigOnly = true } };
        var picked = Assert.Single(_ipam.Allocate(Config("n"), [configOnly], NoHostNetworks));
        Assert.Equal(Net("172.17.0.0/16"), picked.Subnet);
    }

    [Fact]
    public void Custom_pools_are_cut_into_subnets_of_the_given_size()
    {
        var ipam = new NetworkIpam([DefaultAddressPool.Parse("base=172.80.0.0/16,size=24")]);
        var existing = new[] { State("a", "172.80.0.0/24"), State("b", "172.80.1.0/25") };
        var picked = Assert.Single(ipam.Allocate(Config("n"), existing, [Net("172.80.2.0/23")]));
        Assert.Equal(Net("172.80.4.0/24"), picked.Subnet);
        Assert.Equal(Ip("172.80.4.1"), picked.Gateway);
    }

    [Fact]
    public void Gateway_is_left_out_when_the_driver_needs_none()
    {
        var picked = Assert.Single(_ipam.Allocate(Config("n"), NoNetworks, NoHostNetworks, gatewayRequired: false));
        Assert.Null(picked.Gateway);
        var requested = Assert.Single(_ipam.Allocate(Config("m", Pool("10.9.0.0/16")), NoNetworks, NoHostNetworks, gatewayRequired: false));
        Assert.Null(requested.Gateway);
    }

    [Fact]
    public void Empty_entries_ask_for_a_pool()
    {
        var picked = Assert.Single(_ipam.Allocate(Config("n", Pool(null)), NoNetworks, NoHostNetworks));
        Assert.Equal(Net("172.17.0.0/16"), picked.Subnet);
    }
}
