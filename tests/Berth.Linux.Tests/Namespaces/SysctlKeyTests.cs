using Berth.Core.Errors;
using Berth.Linux.Links;
using Berth.Linux.Sysctl;

namespace Berth.Linux.Tests.Namespaces;

public sealed class SysctlKeyTests
{
    [Theory]
    [InlineData("net.ipv4.ip_forward", "/proc/sys/net/ipv4/ip_forward")]
    [InlineData("net.ipv6.conf.all.forwarding", "/proc/sys/net/ipv6/conf/all/forwarding")]
    [InlineData("net.ipv4.conf.eth0/10.rp_filter", "/proc/sys/net/ipv4/conf/eth0.10/rp_filter")]
    [InlineData("net.core.somaxconn", "/proc/sys/net/core/somaxconn")]
    public void GoodKeys_MapToProcSys(string key, string path) => Assert.Equal(path, SysctlKey.ToPath(key));

    [Theory]
    [InlineData("")]
    [InlineData("kernel.hostname")]
    [InlineData("vm.swappiness")]
    [InlineData("net")]
    [InlineData("net..ip_forward")]
    [InlineData("net.ipv4.")]
    [InlineData(".net.ipv4")]
    [InlineData("net.ipv4.conf.//.x")]
    [InlineData("net.ipv4.conf./.x")]
    [InlineData("net.ipv4 .ip_forward")]
    [InlineData("net.ipv4.ip\nforward")]
    [InlineData("net.ipv4.conf.a\\b.x")]
    public void BadKeys_AreInvalidArgument(string key)
    {
        Assert.NotNull(SysctlKey.Problem(key));
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => SysctlKey.ToPath(key)).Kind);
    }

    [Fact]
    public void SlashesNeverEscapeProcSysNet()
    {
        // A component can hold no dot, so slashes only ever become runs of dots: "///" is the file "...".
        string path = SysctlKey.ToPath("net.///.x");

        Assert.Equal("/proc/sys/net/.../x", path);
        Assert.StartsWith("/proc/sys/net/", Path.GetFullPath(path), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("all")]
    [InlineData("default")]
    [InlineData("eth0.10")]
    [InlineData("a23456789012345")]
    public void GoodInterfaceNames(string name) => Assert.Null(LinkName.Problem(name));

    [Theory]
    [InlineData("")]
    [InlineData("a234567890123456")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a b")]
    public void BadInterfaceNames(string name)
    {
        Assert.NotNull(LinkName.Problem(name));
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => LinkName.Validate(name)).Kind);
    }

    [Fact]
    public void InterfaceSettingKeys_TranslateDotsInInterfaceNames()
    {
        Assert.Equal("net.ipv4.conf.eth0/10.arp_ignore", Berth.Linux.Sysctl.NamespaceSysctls.IPv4Conf("eth0.10", "arp_ignore"));
        Assert.Equal("/proc/sys/net/ipv6/conf/eth0.10/accept_ra", SysctlKey.ToPath(NamespaceSysctls.IPv6Conf("eth0.10", "accept_ra")));
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<BerthException>(() => NamespaceSysctls.IPv4Conf("../x", "arp_ignore")).Kind);
    }
}
