using System.Collections.Immutable;
using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;

namespace Berth.Network.Tests.Ipam;

internal static class IpamTestData
{
    public static readonly IReadOnlyCollection<IPNetwork> NoHostNetworks = [];
    public static readonly IReadOnlyCollection<NetworkState> NoNetworks = [];

    public static IPNetwork Net(string cidr) => IPNetwork.Parse(cidr);

    public static IPAddress Ip(string text) => IPAddress.Parse(text);

    public static IpamPoolRequest Pool(string? subnet, string? ipRange = null, string? gateway = null, params (string Name, string Address)[] aux) => new()
    {
        Subnet = subnet,
        IPRange = ipRange,
        Gateway = gateway,
        AuxiliaryAddresses = aux.Length == 0 ? null : aux.ToDictionary(a => a.Name, a => a.Address),
    };

    public static NetworkConfig Config(string name, params IpamPoolRequest[] pools) => new()
    {
        Name = name,
        Ipam = new IpamRequest { Config = [.. pools] },
    };

    public static NetworkState State(string name, params string[] subnets) => new()
    {
        Id = NetworkId.New(),
        Config = new NetworkConfig { Name = name },
        Created = DateTimeOffset.UnixEpoch,
        Phase = NetworkPhase.Ready,
        Subnets = [.. subnets.Select(s => new SubnetAllocation { Subnet = Net(s) })],
    };

    public static SubnetAllocation Allocation(string subnet, string? gateway = null, string? ipRange = null, params (string Name, string Address)[] aux) => new()
    {
        Subnet = Net(subnet),
        Gateway = gateway is null ? null : Ip(gateway),
        IPRange = ipRange is null ? null : Net(ipRange),
        AuxiliaryAddresses = aux.ToImmutableDictionary(a => a.Name, a => Ip(a.Address)),
    };

    public static BerthException Fails(Action action)
    {
        var error = Assert.Throws<BerthException>(action);
        return error;
    }
}
