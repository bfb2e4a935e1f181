using System.Collections.Immutable;
using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Drivers;
using Berth.Network.Ipam;

namespace Berth.Network.Tests.Drivers;

public sealed class MacvlanHostShimTests
{
    private static readonly SubnetAllocation Lan = new()
    {
        Subnet = IPNetwork.Parse("192.168.1.0/24"),
        Gateway = IPAddress.Parse("192.168.1.1"),
        IPRange = IPNetwork.Parse("192.168.1.48/28"),
        AuxiliaryAddresses = ImmutableDictionary<string, IPAddress>.Empty.Add("router2", IPAddress.Parse("192.168.1.2")),
    };

    private static readonly SubnetAllocation LanV6 = new()
    {
        Subnet = IPNetwork.Parse("fd00::/64"),
        Gateway = IPAddress.Parse("fd00::1"),
        IPRange = IPNetwork.Parse("fd00::100/120"),
    };

    [Theory]
    [InlineData("192.168.1.240")]
    [InlineData("10.9.9.9")]
    public void AnAddressOutsideTheContainersRangeIsAccepted(string address) =>
        Assert.Empty(MacvlanHostShim.Problems([IPAddress.Parse(address)], [Lan]));

    [Theory]
    [InlineData("192.168.1.1", "is the network's gateway")]
    [InlineData("192.168.1.2", "is auxiliary address router2")]
    [InlineData("192.168.1.50", "lies in 192.168.1.48/28, where containers get their addresses; pick an address of 192.168.1.0/24 outside 192.168.1.48/28")]
    [InlineData("192.168.1.255", "is the network or broadcast address of 192.168.1.0/24")]
    public void AnAddressIpamCouldHandOutOrHasTakenIsRefused(string address, string problem) =>
        Assert.StartsWith($"option berth.macvlan.host_address={address} {problem}", Assert.Single(MacvlanHostShim.Problems([IPAddress.Parse(address)], [Lan])), StringComparison.Ordinal);

    [Fact]
    public void WithoutAnIpRangeTheWholeSubnetBelongsToTheContainers()
    {
        string problem = Assert.Single(MacvlanHostShim.Problems([IPAddress.Parse("192.168.1.240")], [Lan with { IPRange = null }]));
        Assert.EndsWith("give the network an --ip-range for the containers and the host an address outside it", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIpv6OnlyNetworkHasNoPlaceForTheShim() =>
        Assert.Contains("needs an IPv4 subnet", Assert.Single(MacvlanHostShim.Problems([IPAddress.Parse("192.168.1.240")], [new SubnetAllocation { Subnet = IPNetwork.Parse("fd00::/64") }])), StringComparison.Ordinal);

    [Theory]
    [InlineData("printer", "\"printer\" is not an IP address")]
    [InlineData("192.168.1.240/24", "\"192.168.1.240/24\" is not an IP address")]
    [InlineData("192.168.1.240,", "\"\" is not an IP address")]
    [InlineData("192.168.1.240,192.168.1.241", "gives two addresses of one family")]
    [InlineData("fd00::240,fd00::241", "gives two addresses of one family")]
    public void TheOptionIsOneAddressOrOneOfEachFamily(string value, string problem)
    {
        var problems = new List<string>();
        MacvlanHostShim.CheckOption(Config(("parent", "eth0"), (MacvlanOptions.HostAddress, value)), hasParent: true, problems);
        Assert.StartsWith($"option berth.macvlan.host_address=\"{value}\"", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Contains(problem, problems[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fd00::240")]
    [InlineData("192.168.1.240,fd00::240")]
    [InlineData("fd00::240, 192.168.1.240")]
    public void AnIpv6AddressOrOneOfEachFamilyIsAccepted(string value)
    {
        var problems = new List<string>();
        var config = Config(("parent", "eth0"), (MacvlanOptions.HostAddress, value));
        MacvlanHostShim.CheckOption(config, hasParent: true, problems);
        Assert.Empty(problems);
        Assert.Equal(value.Split(',', StringSplitOptions.TrimEntries).Select(IPAddress.Parse), MacvlanHostShim.AddressesOf(config));
    }

    [Theory]
    [InlineData("fd00::240", null)]
    [InlineData("fd00::1", "is the network's gateway")]
    [InlineData("fd00::", "is the network or broadcast address of fd00::/64")]
    [InlineData("fd00::150", "lies in fd00::100/120, where containers get their addresses")]
    [InlineData("fd01::240", null)]
    public void AnIpv6AddressIsCheckedAgainstTheIpv6Subnet(string address, string? problem)
    {
        var problems = MacvlanHostShim.Problems([IPAddress.Parse("192.168.1.240"), IPAddress.Parse(address)], [Lan, LanV6]);
        if (problem is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.StartsWith($"option berth.macvlan.host_address={address} {problem}", Assert.Single(problems), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnIpv6AddressOnANetworkWithoutAnIpv6SubnetIsRefused() =>
        Assert.Contains("needs an IPv6 subnet", Assert.Single(MacvlanHostShim.Problems([IPAddress.Parse("fd00::240")], [Lan])), StringComparison.Ordinal);

    [Fact]
    public void TheShimNeedsARealParentAndNotPassthru()
    {
        var problems = new List<string>();
        MacvlanHostShim.CheckOption(Config((MacvlanOptions.HostAddress, "192.168.1.240"), (MacvlanOptions.Mode, "passthru")), hasParent: false, problems);
        Assert.Equal(2, problems.Count);
        Assert.Contains("needs a parent interface", problems[0], StringComparison.Ordinal);
        Assert.Contains("passthru", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void TheShimNameIsShortAndFollowsTheNetworkId()
    {
        var id = new NetworkId(new string('a', 8) + new string('b', 56));
        Assert.Equal("bsh-aaaaaaaa", MacvlanHostShim.NameFor(id));
    }

    [Fact]
    public void TheShimAddressIsNeverHandedOutToAContainer()
    {
        var network = new NetworkState
        {
            Id = NetworkId.New(),
            Created = DateTimeOffset.UnixEpoch,
            Config = Config(("parent", "eth0"), (MacvlanOptions.HostAddress, "192.168.1.240")) with { Driver = NetworkDrivers.Macvlan },
            Subnets = [Lan],
        };

        var allocator = new AddressAllocator("lan", MacvlanHostShim.Reserving(network, Lan));

        var e = Assert.Throws<BerthException>(() => allocator.Allocate(IPAddress.Parse("192.168.1.240")));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Contains("192.168.1.240 is auxiliary address berth.macvlan.host_address", e.Message, StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("192.168.1.48"), allocator.Allocate());
    }

    [Fact]
    public void TheShimsIpv6AddressIsNeverHandedOutEither()
    {
        var network = new NetworkState
        {
            Id = NetworkId.New(),
            Created = DateTimeOffset.UnixEpoch,
            Config = Config(("parent", "eth0"), (MacvlanOptions.HostAddress, "192.168.1.240,fd00::240")) with { Driver = NetworkDrivers.Macvlan },
            Subnets = [Lan, LanV6 with { IPRange = null }],
        };

        Assert.Same(Lan.AuxiliaryAddresses["router2"], MacvlanHostShim.Reserving(network, Lan).AuxiliaryAddresses["router2"]);
        var allocator = new AddressAllocator("lan", MacvlanHostShim.Reserving(network, network.Subnets[1]));
        var e = Assert.Throws<BerthException>(() => allocator.Allocate(IPAddress.Parse("fd00::240")));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal(IPAddress.Parse("192.168.1.240"), MacvlanHostShim.Reserving(network, Lan).AuxiliaryAddresses[MacvlanOptions.HostAddress]);
    }

    private static NetworkConfig Config(params (string Key, string Value)[] pairs) =>
        new() { Name = "lan", Options = pairs.ToImmutableDictionary(p => p.Key, p => p.Value) };
}
