using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Ipam;
using static Berth.Network.Tests.Ipam.IpamTestData;

namespace Berth.Network.Tests.Ipam;

public class NetworkIpamRequestTests
{
    private readonly NetworkIpam _ipam = new();

    [Fact]
    public void Requested_subnet_range_gateway_and_aux_are_kept()
    {
        var config = Config("testnet1", Pool("10.213.0.0/16", "10.213.5.0/24", "10.213.0.1", ("host1", "10.213.0.5")));
        var only = Assert.Single(_ipam.Allocate(config, NoNetworks, NoHostNetworks));
        Assert.Equal(Net("10.213.0.0/16"), only.Subnet);
        Assert.Equal(Net("10.213.5.0/24"), only.IPRange);
        Assert.Equal(Ip("10.213.0.1"), only.Gateway);
        Assert.Equal(Ip("10.213.0.5"), only.AuxiliaryAddresses["host1"]);
        Assert.True(only.Requested);
    }

    [Fact]
    public void Requested_subnet_without_gateway_gets_first_host_address()
    {
        var only = Assert.Single(_ipam.Allocate(Config("n", Pool("10.5.0.0/24")), NoNetworks, NoHostNetworks));
        Assert.Equal(Ip("10.5.0.1"), only.Gateway);
    }

    [Fact]
    public void Default_gateway_steps_over_an_aux_address_on_dot_1()
    {
        var only = Assert.Single(_ipam.Allocate(Config("n", Pool("10.5.0.0/24", aux: ("router", "10.5.0.1"))), NoNetworks, NoHostNetworks));
        Assert.Equal(Ip("10.5.0.2"), only.Gateway);
    }

    [Fact]
    public void Requested_subnet_may_overlap_host_networks()
    {
        var only = Assert.Single(_ipam.Allocate(Config("n", Pool("192.168.1.0/24")), NoNetworks, [Net("192.168.1.0/24")]));
        Assert.Equal(Net("192.168.1.0/24"), only.Subnet);
    }

    [Fact]
    public void Requested_subnet_overlapping_another_network_is_forbidden_and_names_it()
    {
        var existing = new[] { State("frontnet", "172.30.0.0/24") };
        var error = Fails(() => _ipam.Allocate(Config("backnet", Pool("172.30.0.0/16")), existing, NoHostNetworks));
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.Equal(
            "network \"backnet\": subnet 172.30.0.0/16 overlaps network \"frontnet\" (172.30.0.0/24); choose another --subnet",
            error.Message);
    }

    [Fact]
    public void Requested_subnet_overlapping_a_picked_default_pool_is_forbidden()
    {
        var existing = new[] { State("bridge", "172.17.0.0/16") };
        var error = Fails(() => _ipam.Allocate(Config("n", Pool("172.17.5.0/24")), existing, NoHostNetworks));
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.Contains("overlaps network \"bridge\" (172.17.0.0/16)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_ipam_driver_is_refused()
    {
        var config = Config("n") with { Ipam = new IpamRequest { Driver = "weird" } };
        var error = Fails(() => _ipam.Allocate(config, NoNetworks, NoHostNetworks));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("IPAM driver \"weird\" is not supported", error.Message, StringComparison.Ordinal);

        var empty = Config("m") with { Ipam = new IpamRequest { Driver = "" } };
        Assert.Single(_ipam.Allocate(empty, NoNetworks, NoHostNetworks));
    }

    [Theory]
    [InlineData("10.0.0/24", null, null, "invalid subnet 10.0.0/24: invalid CIDR block notation")]
    [InlineData("nonsense", null, null, "invalid subnet nonsense: invalid CIDR block notation")]
    [InlineData("10.0.0.1/24", null, null, "invalid subnet 10.0.0.1/24: it should be 10.0.0.0/24")]
    [InlineData("10.0.0.0/16", "10.0.5.0/33", null, "invalid ip-range 10.0.5.0/33: invalid CIDR block notation")]
    [InlineData("10.0.0.0/16", "10.0.5.1/24", null, "invalid ip-range 10.0.5.1/24: it should be 10.0.5.0/24")]
    [InlineData("10.0.0.0/16", "10.1.0.0/24", null, "invalid ip-range 10.1.0.0/24: it should be within its parent subnet 10.0.0.0/16")]
    [InlineData("10.0.0.0/16", "10.0.0.0/8", null, "invalid ip-range 10.0.0.0/8: it should be within its parent subnet 10.0.0.0/16")]
    [InlineData("10.0.0.0/16", "fd00::/64", null, "invalid ip-range fd00::/64: parent subnet is an IPv4 block")]
    [InlineData("10.0.0.0/16", null, "10.0.0", "invalid gateway 10.0.0: invalid address")]
    [InlineData("10.0.0.0/16", null, "10.1.0.1", "invalid gateway 10.1.0.1: it should be within its parent subnet 10.0.0.0/16")]
    [InlineData("10.0.0.0/16", null, "fd00::1", "invalid gateway fd00::1: parent subnet is an IPv4 block")]
    [InlineData("10.0.0.0/16", null, "10.0.0.0", "invalid gateway 10.0.0.0: it is the network address of subnet 10.0.0.0/16; use a host address such as 10.0.0.1")]
    [InlineData("10.0.0.0/16", null, "10.0.255.255", "invalid gateway 10.0.255.255: it is the broadcast address of subnet 10.0.0.0/16")]
    [InlineData("10.0.0.5/32", null, null, "subnet 10.0.0.5/32 has no address left for a gateway")]
    public void Each_bad_entry_is_an_invalid_argument(string subnet, string? ipRange, string? gateway, string expected)
    {
        var error = Fails(() => _ipam.Allocate(Config("n", Pool(subnet, ipRange, gateway)), NoNetworks, NoHostNetworks));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith($"network \"n\": {expected}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("; network ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.x", "invalid auxiliary address h1=10.0.0.x: invalid address")]
    [InlineData("10.9.0.5", "invalid auxiliary address h1=10.9.0.5: it should be within its parent subnet 10.0.0.0/16")]
    [InlineData("10.0.0.1", "invalid auxiliary address h1=10.0.0.1: it is the gateway; choose another address")]
    public void Bad_aux_addresses_are_refused(string address, string expected)
    {
        var error = Fails(() => _ipam.Allocate(Config("n", Pool("10.0.0.0/16", gateway: "10.0.0.1", aux: ("h1", address))), NoNetworks, NoHostNetworks));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith($"network \"n\": {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_aux_names_for_one_address_are_refused()
    {
        var error = Fails(() => _ipam.Allocate(Config("n", Pool("10.0.0.0/16", aux: [("a", "10.0.0.7"), ("b", "10.0.0.7")])), NoNetworks, NoHostNetworks));
        Assert.Equal("network \"n\": invalid auxiliary address b=10.0.0.7: it is also auxiliary address a; give each its own address", error.Message);
    }

    [Theory]
    [InlineData(null, "10.0.0.1", "gateway 10.0.0.1 given without a --subnet")]
    [InlineData("10.0.5.0/24", null, "ip-range 10.0.5.0/24 given without a --subnet")]
    public void Gateway_or_range_without_subnet_is_refused(string? ipRange, string? gateway, string expected)
    {
        var error = Fails(() => _ipam.Allocate(Config("n", Pool(null, ipRange, gateway)), NoNetworks, NoHostNetworks));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith($"network \"n\": {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aux_without_subnet_is_refused()
    {
        var error = Fails(() => _ipam.Allocate(Config("n", Pool(null, aux: ("h", "10.0.0.3"))), NoNetworks, NoHostNetworks));
        Assert.StartsWith("network \"n\": auxiliary address h=10.0.0.3 given without a --subnet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_entries_of_one_request_are_refused()
    {
        var error = Fails(() => _ipam.Allocate(Config("n", Pool("10.0.0.0/16"), Pool("10.0.1.0/24")), NoNetworks, NoHostNetworks));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("network \"n\": subnet 10.0.1.0/24 overlaps subnet 10.0.0.0/16 of the same network; give each --subnet its own range", error.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var existing = new[] { State("frontnet", "172.30.0.0/24") };
        var config = Config("n") with
        {
            Ipam = new IpamRequest
            {
                Driver = "weird",
                Config =
                [
                    Pool("10.0.0.1/24"),
                    Pool("10.1.0.0/16", "10.2.0.0/24", "10.3.0.1"),
                    Pool("172.30.0.0/16"),
                    Pool(null, gateway: "10.9.0.1"),
                ],
            },
        };

        var error = Fails(() => _ipam.Allocate(config, existing, NoHostNetworks));

        // A malformed request wins over the collision when choosing the kind (400 before 403).
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        string[] lines = error.Message.Split("; network ");
        Assert.Contains("IPAM driver \"weird\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid subnet 10.0.0.1/24: it should be 10.0.0.0/24", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid ip-range 10.2.0.0/24: it should be within its parent subnet 10.1.0.0/16", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid gateway 10.3.0.1: it should be within its parent subnet 10.1.0.0/16", error.Message, StringComparison.Ordinal);
        Assert.Contains("subnet 172.30.0.0/16 overlaps network \"frontnet\" (172.30.0.0/24)", error.Message, StringComparison.Ordinal);
        Assert.Contains("gateway 10.9.0.1 given without a --subnet", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, lines.Length);
    }

    [Fact]
    public void Only_overlaps_give_forbidden()
    {
        var existing = new[] { State("a", "10.0.0.0/24"), State("b", "10.0.1.0/24") };
        var error = Fails(() => _ipam.Allocate(Config("n", Pool("10.0.0.0/16")), existing, NoHostNetworks));
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.Contains("network \"a\" (10.0.0.0/24)", error.Message, StringComparison.Ordinal);
        Assert.Contains("network \"b\" (10.0.1.0/24)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_requested_subnets_keep_request_order()
    {
        var result = _ipam.Allocate(Config("n", Pool("10.2.0.0/16"), Pool("10.1.0.0/16")), NoNetworks, NoHostNetworks);
        Assert.Equal([Net("10.2.0.0/16"), Net("10.1.0.0/16")], result.Select(r => r.Subnet));
    }
}
