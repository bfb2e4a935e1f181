using Berth.Network.Ipam;
using static Berth.Network.Tests.Ipam.IpamTestData;

namespace Berth.Network.Tests.Ipam;

public class IPNetworkMathTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.1.0.0/16", true)]
    [InlineData("10.1.0.0/16", "10.0.0.0/8", true)]
    [InlineData("10.0.0.0/24", "10.0.1.0/24", false)]
    [InlineData("10.0.0.0/24", "10.0.0.0/24", true)]
    [InlineData("0.0.0.0/0", "192.168.1.0/24", true)]
    [InlineData("10.0.0.0/8", "fd00::/8", false)]
    [InlineData("fd00::/64", "fd00::1/128", true)]
    public void Overlaps(string a, string b, bool expected) =>
        Assert.Equal(expected, IPNetworkMath.Overlaps(Net(a), Net(b)));

    [Fact]
    public void Contains_networks_and_addresses()
    {
        Assert.True(IPNetworkMath.Contains(Net("10.0.0.0/16"), Net("10.0.5.0/24")));
        Assert.False(IPNetworkMath.Contains(Net("10.0.5.0/24"), Net("10.0.0.0/16")));
        Assert.True(IPNetworkMath.Contains(Net("10.0.0.0/16"), Ip("10.0.255.255")));
        Assert.False(IPNetworkMath.Contains(Net("10.0.0.0/16"), Ip("::1")));
    }

    [Fact]
    public void First_last_broadcast_and_first_host()
    {
        var net = Net("172.20.0.0/16");
        Assert.Equal(Ip("172.20.0.0"), IPNetworkMath.FirstAddress(net));
        Assert.Equal(Ip("172.20.255.255"), IPNetworkMath.LastAddress(net));
        Assert.Equal(Ip("172.20.255.255"), IPNetworkMath.Broadcast(net));
        Assert.Equal(Ip("172.20.0.1"), IPNetworkMath.FirstHostAddress(net));
        Assert.Null(IPNetworkMath.Broadcast(Net("10.0.0.0/31")));
        Assert.Null(IPNetworkMath.FirstHostAddress(Net("10.0.0.5/32")));

        var v6 = Net("fd00:dead:beef::/64");
        Assert.Null(IPNetworkMath.Broadcast(v6));
        Assert.Equal(Ip("fd00:dead:beef::1"), IPNetworkMath.FirstHostAddress(v6));
        Assert.Equal(Ip("fd00:dead:beef:0:ffff:ffff:ffff:ffff"), IPNetworkMath.LastAddress(v6));
        Assert.Equal(UInt128.One << 64, IPNetworkMath.AddressCount(v6));
    }

    [Theory]
    [InlineData("10.0.0.0/24", true, false, "10.0.0.0/24")]
    [InlineData("10.0.0.1/24", true, true, "10.0.0.0/24")]
    [InlineData("fd00::1/64", true, true, "fd00::/64")]
    [InlineData("10.0/16", false, false, null)]
    [InlineData("10.0.0.0", false, false, null)]
    [InlineData(" 10.0.0.0/24", false, false, null)]
    [InlineData("10.0.0.0/24 ", false, false, null)]
    [InlineData("10.0.0.0/-1", false, false, null)]
    public void TryParseCidr(string text, bool ok, bool hostBits, string? network)
    {
        Assert.Equal(ok, IPNetworkMath.TryParseCidr(text, out var parsed, out bool hostBitsSet));
        Assert.Equal(hostBits, hostBitsSet);
        if (network is not null)
        {
            Assert.Equal(Net(network), parsed);
        }
    }

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("10.1", false)]
    [InlineData("167772161", false)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData("", false)]
    public void TryParseAddress_is_strict(string text, bool ok) =>
        Assert.Equal(ok, IPNetworkMath.TryParseAddress(text, out _));
}
