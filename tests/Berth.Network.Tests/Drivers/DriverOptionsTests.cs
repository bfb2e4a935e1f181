using System.Collections.Immutable;
using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Drivers;

namespace Berth.Network.Tests.Drivers;

public sealed class DriverOptionsTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("T", true)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    [InlineData("f", false)]
    public void BooleansParseAsDockerParsesThem(string text, bool expected)
    {
        var problems = new List<string>();
        Assert.Equal(expected, DriverOptions.Bool(Options(("k", text)), "k", !expected, problems));
        Assert.Empty(problems);
    }

    [Fact]
    public void NotABooleanIsAProblemNamingTheOption()
    {
        var problems = new List<string>();
        DriverOptions.Bool(Options((BridgeOptions.EnableIcc, "maybe")), BridgeOptions.EnableIcc, true, problems);
        Assert.Equal($"option {BridgeOptions.EnableIcc}=\"maybe\" is not a boolean; use true or false", Assert.Single(problems));
    }

    [Theory]
    [InlineData("1400", 1400, false)]
    [InlineData("67", null, true)]
    [InlineData("65536", null, true)]
    [InlineData("-1", null, true)]
    [InlineData("big", null, true)]
    public void MtuIsARangeCheckedWholeNumber(string text, int? expected, bool problem)
    {
        var problems = new List<string>();
        Assert.Equal(expected, DriverOptions.Int(Options((BridgeOptions.Mtu, text)), BridgeOptions.Mtu, 68, 65535, problems));
        Assert.Equal(problem, problems.Count == 1);
    }

    [Fact]
    public void UnknownOptionsAreErrorsListingTheKnownOnes()
    {
        var problems = new List<string>();
        DriverOptions.RejectUnknown("bridge", Options(("com.docker.network.bridge.enable_iccc", "false"), (BridgeOptions.Mtu, "1400")), BridgeOptions.Known, problems);
        string message = Assert.Single(problems);
        Assert.StartsWith("unknown option \"com.docker.network.bridge.enable_iccc\" for the bridge driver; known options: ", message, StringComparison.Ordinal);
        Assert.Contains(BridgeOptions.EnableIcc, message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllProblemsAreReportedTogether()
    {
        var e = Assert.Throws<BerthException>(() => DriverOptions.ThrowIfAny("net1", ["first problem", "second problem"]));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("network \"net1\": first problem; second problem", e.Message);
    }

    [Theory]
    [InlineData("eth0.10", "eth0", 10)]
    [InlineData("ens3.4094", "ens3", 4094)]
    [InlineData("bond0.1", "bond0", 1)]
    public void VlanSubInterfaceNamesSplitIntoParentAndId(string name, string parent, int id) =>
        Assert.Equal((parent, id), MacvlanDriver.VlanParts(name));

    [Theory]
    [InlineData("eth0")]
    [InlineData("eth0.0")]
    [InlineData("eth0.4095")]
    [InlineData(".10")]
    [InlineData("eth0.x")]
    public void OtherNamesAreNotVlanSubInterfaces(string name) => Assert.Null(MacvlanDriver.VlanParts(name));

    [Fact]
    public void MacvlanModeDefaultsToBridge()
    {
        Assert.Equal(Linux.Links.MacvlanMode.Bridge, MacvlanDriver.ModeOf(new NetworkConfig { Name = "m" }));
        Assert.Equal(Linux.Links.MacvlanMode.Private, MacvlanDriver.ModeOf(new NetworkConfig { Name = "m", Options = Options((MacvlanOptions.Mode, "private")) }));
    }

    [Fact]
    public void BridgeRulesFollowTheOptionsAndInternalNeverMasquerades()
    {
        var network = new NetworkState
        {
            Id = NetworkId.New(),
            Created = DateTimeOffset.UnixEpoch,
            Config = new NetworkConfig { Name = "isolated", Internal = true, Options = Options((BridgeOptions.EnableIcc, "false")) },
            Subnets = [new SubnetAllocation { Subnet = IPNetwork.Parse("172.30.0.0/16"), Gateway = IPAddress.Parse("172.30.0.1") }],
            DriverState = ImmutableDictionary<string, string>.Empty.Add("bridge", "br-isolated"),
        };

        var rules = BridgeDriver.Rules(network);

        Assert.Equal("br-isolated", rules.Bridge);
        Assert.False(rules.InterContainerCommunication);
        Assert.True(rules.Internal);
        Assert.False(rules.Masquerade);
        Assert.Equal(IPNetwork.Parse("172.30.0.0/16"), Assert.Single(rules.Subnets));
    }

    private static ImmutableDictionary<string, string> Options(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableDictionary(p => p.Key, p => p.Value);
}
