using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Berth.Core.Networks;
using Berth.Network.Persistence;

namespace Berth.Network.Tests.Persistence;

public sealed class NetworkStateJsonTests
{
    [Fact]
    public void AStoredNetworkComesBackEqualInEveryField()
    {
        var network = new NetworkState
        {
            Id = NetworkId.New(),
            Created = new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero),
            Config = new NetworkConfig
            {
                Name = "testnet1",
                Internal = true,
                EnableIPv6 = true,
                Options = ImmutableDictionary<string, string>.Empty.Add("com.docker.network.driver.mtu", "1400"),
                Labels = ImmutableDictionary<string, string>.Empty.Add("foo", "bar"),
                Ipam = new IpamRequest
                {
                    Options = null,
                    Config = [new IpamPoolRequest { Subnet = "10.213.0.0/16", IPRange = "10.213.5.0/24", AuxiliaryAddresses = new Dictionary<string, string> { ["host1"] = "10.213.0.5" } }],
                },
            },
            Subnets =
            [
                new SubnetAllocation
                {
                    Subnet = IPNetwork.Parse("10.213.0.0/16"),
                    Gateway = IPAddress.Parse("10.213.0.1"),
                    IPRange = IPNetwork.Parse("10.213.5.0/24"),
                    AuxiliaryAddresses = ImmutableDictionary<string, IPAddress>.Empty.Add("host1", IPAddress.Parse("10.213.0.5")),
                    Requested = true,
                },
                new SubnetAllocation { Subnet = IPNetwork.Parse("fd00:dead:beef::/64"), Gateway = IPAddress.Parse("fd00:dead:beef::1") },
            ],
            DriverState = ImmutableDictionary<string, string>.Empty.Add("bridge", "br-x"),
            Phase = NetworkPhase.Ready,
        };

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(network, NetworkStateJsonContext.Default.NetworkState);
        var back = JsonSerializer.Deserialize(json, NetworkStateJsonContext.Default.NetworkState)!;

        Assert.Equal(network.Id, back.Id);
        Assert.Equal(network.Created, back.Created);
        Assert.Equal(network.Phase, back.Phase);
        Assert.Equal(network.Config.Options, back.Config.Options);
        Assert.Equal(network.Config.Labels, back.Config.Labels);
        Assert.Null(back.Config.Ipam.Options);
        Assert.Equal("10.213.0.5", back.Config.Ipam.Config[0].AuxiliaryAddresses!["host1"]);
        Assert.Equal(network.Subnets[0].Subnet, back.Subnets[0].Subnet);
        Assert.Equal(network.Subnets[0].IPRange, back.Subnets[0].IPRange);
        Assert.Equal(network.Subnets[0].AuxiliaryAddresses["host1"], back.Subnets[0].AuxiliaryAddresses["host1"]);
        Assert.Equal(network.Subnets[1].Gateway, back.Subnets[1].Gateway);
        Assert.Null(back.Subnets[1].IPRange);
        Assert.Equal(network.DriverState, back.DriverState);
        Assert.Contains("\"Phase\":\"Ready\"", System.Text.Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }
}
