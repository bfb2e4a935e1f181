using Berth.Core.Errors;
using Berth.Network.Ipam;
using static Berth.Network.Tests.Ipam.IpamTestData;

namespace Berth.Network.Tests.Ipam;

public class NetworkIpamIPv6Tests
{
    private readonly NetworkIpam _ipam = new();

    [Fact]
    public void IPv6_subnet_gets_a_picked_IPv4_pool_first()
    {
        var config = Config("n", Pool("fd00:dead:beef::/64")) with { EnableIPv6 = true };
        var result = _ipam.Allocate(config, NoNetworks, NoHostNetworks);
        Assert.Equal(2, result.Length);
        Assert.Equal(Net("172.17.0.0/16"), result[0].Subnet);
        Assert.Equal(Ip("172.17.0.1"), result[0].Gateway);
        Assert.False(result[0].Requested);
        Assert.Equal(Net("fd00:dead:beef::/64"), result[1].Subnet);
        Assert.Equal(Ip("fd00:dead:beef::1"), result[1].Gateway);
        Assert.True(result[1].Requested);
    }

    [Fact]
    public void IPv6_gateway_range_and_aux_are_validated_and_kept()
    {
        var config = Config("n", Pool("10.7.0.0/16"), Pool("fd00:1::/64", "fd00:1::/80", "fd00:1::fe", ("dns", "fd00:1::53"))) with { EnableIPv6 = true };
        var result = _ipam.Allocate(config, NoNetworks, NoHostNetworks);
        Assert.Equal(Net("10.7.0.0/16"), result[0].Subnet);
        Assert.Equal(Ip("fd00:1::fe"), result[1].Gateway);
        Assert.Equal(Net("fd00:1::/80"), result[1].IPRange);
        Assert.Equal(Ip("fd00:1::53"), result[1].AuxiliaryAddresses["dns"]);
    }

    [Fact]
    public void Bad_IPv6_entries_are_reported()
    {
        var config = Config("n", Pool("fd00:1::1/64", gateway: "fd00:2::1")) with { EnableIPv6 = true };
        var error = Fails(() => _ipam.Allocate(config, NoNetworks, NoHostNetworks));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("invalid subnet fd00:1::1/64: it should be fd00:1::/64", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid gateway fd00:2::1: it should be within its parent subnet fd00:1::/64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnableIPv6_without_subnet_and_without_IPv6_pools_is_not_found()
    {
        var config = Config("n") with { EnableIPv6 = true };
        var error = Fails(() => _ipam.Allocate(config, NoNetworks, NoHostNetworks));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.StartsWith(
            "network \"n\": could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnableIPv6_without_subnet_uses_configured_IPv6_pools()
    {
        var ipam = new NetworkIpam([.. DefaultAddressPool.DockerDefaults, DefaultAddressPool.Parse("base=fd00:aa::/48,size=64")]);
        var existing = new[] { State("other", "fd00:aa::/64") };
        var result = ipam.Allocate(Config("n") with { EnableIPv6 = true }, existing, NoHostNetworks);
        Assert.Equal(Net("172.17.0.0/16"), result[0].Subnet);
        Assert.Equal(Net("fd00:aa:0:1::/64"), result[1].Subnet);
        Assert.Equal(Ip("fd00:aa:0:1::1"), result[1].Gateway);
    }

    [Fact]
    public void A_large_IPv6_pool_skips_a_big_taken_block_quickly()
    {
        var ipam = new NetworkIpam([.. DefaultAddressPool.DockerDefaults, DefaultAddressPool.Parse("base=fd00::/8,size=64")]);
        var existing = new[] { State("huge", "fd00::/16") };
        var result = ipam.Allocate(Config("n") with { EnableIPv6 = true }, existing, NoHostNetworks);
        Assert.Equal([Net("172.17.0.0/16"), Net("fd01::/64")], result.Select(r => r.Subnet));
    }

    [Fact]
    public void IPv6_subnet_without_EnableIPv6_is_accepted()
    {
        var result = _ipam.Allocate(Config("n", Pool("fd00:5::/64")), NoNetworks, NoHostNetworks);
        Assert.Equal([Net("172.17.0.0/16"), Net("fd00:5::/64")], result.Select(r => r.Subnet));
    }

    [Fact]
    public void IPv6_subnet_overlapping_another_network_is_forbidden()
    {
        var existing = new[] { State("v6net", "172.17.0.0/16", "fd00:5::/64") };
        var error = Fails(() => _ipam.Allocate(Config("n", Pool("fd00:5::/48")) with { EnableIPv6 = true }, existing, NoHostNetworks));
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.Equal("network \"n\": subnet fd00:5::/48 overlaps network \"v6net\" (fd00:5::/64); choose another --subnet", error.Message);
    }
}
