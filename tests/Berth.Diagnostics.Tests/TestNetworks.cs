using System.Collections.Immutable;
using System.Net;
using Berth.Core.Networks;

namespace Berth.Diagnostics.Tests;

/// <summary>Networks as the store would hold them, for checks' pure logic.</summary>
internal static class TestNetworks
{
    public static NetworkState Make(string name, string driver, string subnet, string? gateway = null, string? ipRange = null, params (string Key, string Value)[] options) => new()
    {
        Id = NetworkId.New(),
        Config = new NetworkConfig { Name = name, Driver = driver, Options = options.ToImmutableDictionary(o => o.Key, o => o.Value) },
        Created = DateTimeOffset.UnixEpoch,
        Subnets =
        [
            new SubnetAllocation
            {
                Subnet = IPNetwork.Parse(subnet),
                Gateway = gateway is null ? null : IPAddress.Parse(gateway),
                IPRange = ipRange is null ? null : IPNetwork.Parse(ipRange),
            },
        ],
        Phase = NetworkPhase.Ready,
    };
}
