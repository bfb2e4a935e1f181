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

    [Theory]
    [InlineData("192.168.1.240")]
    [InlineData("10.9.9.9")]
    public void AnAddressOutsideTheContainersRangeIsAccepted(string address) =>
        Assert.Empty(MacvlanHostShim.Problems(IPAddress.Parse(address), [Lan]));

    [Theory]
    [InlineData("192.168.1.1", "is the network's gateway")]
    [InlineData("192.168.1.2", "is auxiliary address router2")]
    [InlineData("192.168.1.50", "lies in 192.168.1.48/28, where containers get their addresses; pick an address of 192.168.1.0/24 outside 192.168.1.48/28")]
    [InlineData("192.168.1.255", "is the network or broadcast address of 192.168.1.0/24")]
    public void AnAddressIpamCouldHandOutOrHasTakenIsRefused(string address, string problem) =>
        Assert.StartsWith($"option berth.macvlan.host_address={address} {problem}", Assert.Single(MacvlanHostShim.Problems(IPAddress.Parse(address), [Lan])), StringComparison.Ordinal);

    [Fact]
    public void WithoutAnIpRangeTheWholeSubnetBelongsToTheContainers()
    {
        string problem = Assert.Single(MacvlanHostShim.Problems(IPAddress.Parse("192.168.1.240"), [Lan with { IPRange = null }]));
        Assert.EndsWith("give the network an --ip-range for the containers and the host an address outside it", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIpv6OnlyNetworkHasNoPlaceForTheShim() =>
        Assert.Contains("needs an IPv4 subnet", Assert.Single(MacvlanHostShim.Problems(IPAddress.Parse("192.168.1.240"), [new SubnetAllocation { Subnet = IPNetwork.Parse("fd00::/64") }])), StringComparison.Ordinal);

    [Theory]
    [InlineData("printer", "is not an IPv4 address")]
    [InlineData("192.168.1.240/24", "is not an IPv4 address")]
    [InlineData("fd00::240", "is not an IPv4 address")]
    public void TheOptionMustBeAnIpv4Address(string value, string problem)
    {
        var problems = new List<string>();
        MacvlanHostShim.CheckOption(Config(("parent", "eth0"), (MacvlanOptions.HostAddress, value)), hasParent: true, problems);
        Assert.StartsWith($"option berth.macvlan.host_address=\"{value}\" {problem}", Assert.Single(problems), StringComparison.Ordinal);
    }

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

    private static NetworkConfig Config(params (string Key, string Value)[] pairs) =>
        new() { Name = "lan", Options = pairs.ToImmutableDictionary(p => p.Key, p => p.Value) };
}
