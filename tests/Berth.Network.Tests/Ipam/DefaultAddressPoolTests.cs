using Berth.Core.Errors;
using Berth.Network.Ipam;
using static Berth.Network.Tests.Ipam.IpamTestData;

namespace Berth.Network.Tests.Ipam;

public class DefaultAddressPoolTests
{
    [Fact]
    public void DockerDefaults_are_172_17_to_172_31_as_16s_then_192_168_as_20s()
    {
        var pools = DefaultAddressPool.DockerDefaults;
        Assert.Equal(16, pools.Length);
        for (int i = 0; i < 15; i++)
        {
            Assert.Equal(Net($"172.{17 + i}.0.0/16"), pools[i].Base);
            Assert.Equal(16, pools[i].Size);
        }

        Assert.Equal(Net("192.168.0.0/16"), pools[15].Base);
        Assert.Equal(20, pools[15].Size);
        Assert.All(pools, p => Assert.True(p.IsIPv4));
    }

    [Theory]
    [InlineData("base=172.80.0.0/16,size=24", "172.80.0.0/16", 24)]
    [InlineData("size=24,base=172.80.0.0/16", "172.80.0.0/16", 24)]
    [InlineData(" base = 10.0.0.0/8 , size = 16 ", "10.0.0.0/8", 16)]
    [InlineData("BASE=10.0.0.0/8,SIZE=8", "10.0.0.0/8", 8)]
    [InlineData("base=10.0.0.0/8,size=32", "10.0.0.0/8", 32)]
    [InlineData("base=fd00::/48,size=64", "fd00::/48", 64)]
    [InlineData("base=fd00::/48,size=128", "fd00::/48", 128)]
    public void Parse_accepts_good_text(string text, string expectedBase, int expectedSize)
    {
        var pool = DefaultAddressPool.Parse(text);
        Assert.Equal(Net(expectedBase), pool.Base);
        Assert.Equal(expectedSize, pool.Size);
        Assert.Equal(pool, DefaultAddressPool.Parse(pool.ToString()));
    }

    [Theory]
    [InlineData("size=24", "missing base")]
    [InlineData("base=172.80.0.0/16", "missing size")]
    [InlineData("", "missing base")]
    [InlineData("base=172.80.0.0,size=24", "is not a CIDR block")]
    [InlineData("base=nonsense/16,size=24", "is not a CIDR block")]
    [InlineData("base=172.80.0.0/33,size=24", "is not a CIDR block")]
    [InlineData("base=172.80.1.0/16,size=24", "it should be 172.80.0.0/16")]
    [InlineData("base=172.80.0.0/16,size=8", "size 8 is out of range for base 172.80.0.0/16; use 16 to 32")]
    [InlineData("base=172.80.0.0/16,size=33", "size 33 is out of range")]
    [InlineData("base=fd00::/48,size=129", "use 48 to 128")]
    [InlineData("base=172.80.0.0/16,size=x", "size \"x\" is not a prefix length")]
    [InlineData("base=172.80.0.0/16,size=-1", "is not a prefix length")]
    [InlineData("base=172.80.0.0/16,size=24,color=red", "unknown key \"color\"")]
    [InlineData("base=172.80.0.0/16,size", "has no value")]
    public void Parse_rejects_bad_text(string text, string expected)
    {
        var error = Fails(() => DefaultAddressPool.Parse(text));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("invalid --default-address-pool", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_reports_every_problem_at_once()
    {
        var error = Fails(() => DefaultAddressPool.Parse("base=1.2.3/8,colour=x"));
        Assert.Contains("unknown key \"colour\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not a CIDR block", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_validates_size()
    {
        var error = Fails(() => new DefaultAddressPool(Net("10.0.0.0/16"), 12));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }
}
