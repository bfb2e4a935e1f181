using System.Collections.Immutable;
using System.Net;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;

namespace Berth.Cluster.Tests.Swarm;

/// <summary>Which address a node advertises, and Docker's messages when it cannot tell.</summary>
public sealed class AdvertiseAddressTests
{
    private static readonly ImmutableArray<(string, IPAddress)> TwoInterfaces =
        [("eth0", IPAddress.Parse("10.0.2.15")), ("eth1", IPAddress.Parse("192.168.99.100")), ("eth1", IPAddress.Parse("fe80::1"))];

    [Theory]
    [InlineData("10.1.2.3", "0.0.0.0:2377", "10.1.2.3")]
    [InlineData("10.1.2.3:2377", "0.0.0.0:2377", "10.1.2.3")]
    [InlineData("eth1", "0.0.0.0:2377", "192.168.99.100")]
    [InlineData("", "10.0.2.15:2377", "10.0.2.15")]
    public void AnAddressAnEndpointOrAnInterfaceNameIsTaken(string advertise, string listen, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), AdvertiseAddress.Resolve(advertise, listen, () => TwoInterfaces));

    [Fact]
    public void TheOneAddressOfTheHostIsTakenWhenNothingIsGiven() =>
        Assert.Equal(IPAddress.Parse("10.0.2.15"), AdvertiseAddress.Resolve("", "0.0.0.0:2377", () => [TwoInterfaces[0]]));

    [Fact]
    public void SeveralAddressesAreAmbiguousAsInDocker()
    {
        var e = Assert.Throws<BerthException>(() => AdvertiseAddress.Resolve("", "0.0.0.0:2377", () => TwoInterfaces));
        Assert.Equal("could not choose an IP address to advertise since this system has multiple addresses on different interfaces (10.0.2.15 on eth0 and 192.168.99.100 on eth1) - specify one with --advertise-addr", e.Message);
        Assert.Equal("could not find the system's IP address - specify one with --advertise-addr",
            Assert.Throws<BerthException>(() => AdvertiseAddress.Resolve("", "", () => [])).Message);
        Assert.Contains("not an IP address, IP:PORT, or the name of an interface",
            Assert.Throws<BerthException>(() => AdvertiseAddress.Resolve("wlan7", "", () => TwoInterfaces)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.1", "https://10.0.0.1:2377/")]
    [InlineData("10.0.0.1:4000", "https://10.0.0.1:4000/")]
    [InlineData("manager.lan", "https://manager.lan:2377/")]
    public void JoinAddressesDefaultToPort2377(string remote, string expected) =>
        Assert.Equal(new Uri(expected), JoinClient.ManagerUri(remote));
}
