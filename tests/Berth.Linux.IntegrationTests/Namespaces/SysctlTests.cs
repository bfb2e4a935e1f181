using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;
using Berth.Linux.Sysctl;

namespace Berth.Linux.IntegrationTests.Namespaces;

public sealed class SysctlTests : LabTest
{
    [RootFact]
    public void IPv4Forwarding_SetInLabNamespace_ReadsBack_HostUnchanged()
    {
        LabHost router = NewLab().AddHost("router");
        string hostBefore = File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim();
        using NetnsHandle netns = NetnsHandle.Open(router.NetnsPath);
        var sysctls = new NamespaceSysctls(netns, Runner);

        sysctls.SetIPv4Forwarding(true);

        Assert.True(sysctls.GetIPv4Forwarding());
        Assert.Equal("1", sysctls.Read("net.ipv4.ip_forward"));
        Assert.Equal("net.ipv4.ip_forward = 1", router.Exec("sysctl", "net.ipv4.ip_forward").Output.Trim());
        Assert.Equal(hostBefore, File.ReadAllText("/proc/sys/net/ipv4/ip_forward").Trim());
        Assert.Equal(hostBefore, NamespaceSysctls.CurrentThread.Read("net.ipv4.ip_forward"));
    }

    [RootFact]
    public void PerInterfaceSettings_ApplyToThatInterfaceOnly()
    {
        Lab lab = NewLab();
        LabHost host = lab.AddHost("h");
        LabLan lan = lab.AddLan("lan");
        lab.Connect(host, lan, "eth0", "10.77.0.2/24");
        using NetnsHandle netns = NetnsHandle.Open(host.NetnsPath);
        var sysctls = new NamespaceSysctls(netns, Runner);

        sysctls.SetRouteLocalnet("eth0", true);
        sysctls.SetArpIgnore("eth0", 1);
        sysctls.SetArpAnnounce("eth0", 2);
        sysctls.SetAcceptRa("eth0", 0);
        sysctls.SetDisableIPv6("eth0", true);

        Assert.True(sysctls.GetRouteLocalnet("eth0"));
        Assert.False(sysctls.GetRouteLocalnet("lo"));
        Assert.Equal(1, sysctls.GetArpIgnore("eth0"));
        Assert.Equal(2, sysctls.GetArpAnnounce("eth0"));
        Assert.Equal(0, sysctls.GetAcceptRa("eth0"));
        Assert.True(sysctls.GetDisableIPv6("eth0"));
        Assert.Equal("1", host.Exec("cat", "/proc/sys/net/ipv4/conf/eth0/route_localnet").Output.Trim());
    }

    [RootFact]
    public void MissingKey_IsNotFoundNamingTheKey()
    {
        LabHost host = NewLab().AddHost("h");
        using NetnsHandle netns = NetnsHandle.Open(host.NetnsPath);
        var sysctls = new NamespaceSysctls(netns, Runner);

        var error = Assert.ThrowsAny<BerthException>(() => sysctls.GetArpIgnore("nosuch0"));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains("net.ipv4.conf.nosuch0.arp_ignore", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void OutOfRangeValue_IsInvalidArgument()
    {
        LabHost host = NewLab().AddHost("h");
        using NetnsHandle netns = NetnsHandle.Open(host.NetnsPath);
        var sysctls = new NamespaceSysctls(netns, Runner);

        Assert.Equal(ErrorKind.InvalidArgument, Assert.ThrowsAny<BerthException>(() => sysctls.SetArpAnnounce("all", 7)).Kind);
        Assert.Equal(ErrorKind.InvalidArgument, Assert.ThrowsAny<BerthException>(() => sysctls.Write("net.ipv4.ip_forward", "banana")).Kind);
    }
}
