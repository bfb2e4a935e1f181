using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Networks;

/// <summary>
/// The macvlan host shim on a dual-stack network: <c>berth.macvlan.host_address=IPv4,IPv6</c> gives the shim both
/// addresses and a route for each family's container range, so the docker host reaches its container over IPv6 too;
/// with an IPv4 shim alone it does not (the kernel rule between a parent and its macvlans holds for IPv6 as well).
/// </summary>
public sealed class MacvlanHostShimIpv6Tests : DaemonTest
{
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(10);

    private static readonly string[] DualStack =
    [
        "-d", "macvlan", "--ipv6", "--subnet", "10.77.0.0/24", "--gateway", "10.77.0.1", "--ip-range", "10.77.0.48/28",
        "--subnet", "fd77::/64", "--gateway", "fd77::1", "--ip-range", "fd77::100/120", "-o", "parent=eth0",
    ];

    [RootFact]
    public void ADualStackShimReachesTheContainerOverBothFamilies()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // The docker host and the LAN machine get IPv6 addresses on the LAN (on-link fd77::/64), without DAD delays.
        HostIp("-6", "addr", "add", "fd77::10/64", "dev", "eth0", "nodad");
        LanPeer.Ip("-6", "addr", "add", "fd77::20/64", "dev", "eth0", "nodad");

        // An IPv4 shim alone: IPv4 works, IPv6 from the docker host does not, while the LAN machine reaches the container.
        daemon.DockerChecked(["network", "create", .. DualStack, "-o", "berth.macvlan.host_address=10.77.0.240", "v4only"]);
        daemon.DockerChecked("run", "-d", "--name", "printer", "--network", "v4only", "--ip", "10.77.0.50", "--ip6", "fd77::150", "bb:latest", "sleep", "300");
        Assert.True(Poll.Until(() => Ping6(LanPeer, "fd77::150"), Up), "the LAN machine cannot reach the container over IPv6\n" + daemon.Log);
        Assert.True(DockerHost.PingWithin("10.77.0.50", Up), "the docker host cannot reach the container through the IPv4 shim");
        Assert.False(Ping6(DockerHost, "fd77::150"), "the docker host reached its macvlan container over IPv6 without a shim address of that family");
        daemon.DockerChecked("rm", "-f", "printer");
        daemon.DockerChecked("network", "rm", "v4only");

        // An IPv6 address IPAM could hand out is refused, naming the range.
        var refused = daemon.Docker(["network", "create", .. DualStack, "-o", "berth.macvlan.host_address=10.77.0.240,fd77::150", "bad"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("berth.macvlan.host_address=fd77::150 lies in fd77::100/120, where containers get their addresses", refused.Error, StringComparison.Ordinal);

        // Both families: addresses /32 and /128, a route per family, and traffic both ways over IPv6.
        string id = daemon.DockerChecked(["network", "create", .. DualStack, "-o", "berth.macvlan.host_address=10.77.0.240,fd77::240", "dual"]).Output.Trim();
        string shim = "bsh-" + id[..8];
        string addresses = HostIp("addr", "show", "dev", shim);
        Assert.Contains("inet 10.77.0.240/32", addresses, StringComparison.Ordinal);
        Assert.Contains("inet6 fd77::240/128", addresses, StringComparison.Ordinal);
        Assert.Contains($"10.77.0.48/28 dev {shim}", HostIp("route"), StringComparison.Ordinal);
        Assert.Contains($"fd77::100/120 dev {shim}", HostIp("-6", "route"), StringComparison.Ordinal);

        daemon.DockerChecked("run", "-d", "--name", "printer", "--network", "dual", "--ip", "10.77.0.50", "--ip6", "fd77::150", "bb:latest", "sleep", "300");
        Assert.True(Poll.Until(() => Ping6(DockerHost, "fd77::150"), Up), "the docker host cannot reach the container through the IPv6 shim\n" + HostIp("-6", "route") + daemon.Log);
        Assert.True(DockerHost.Ping("10.77.0.50"), "the docker host lost the container over IPv4");
        Assert.Equal(0, daemon.Docker("exec", "printer", "ping", "-6", "-c1", "-W2", "fd77::240").ExitCode);

        // The shim's IPv6 address is never a container's.
        var taken = daemon.Docker("run", "-d", "--name", "thief", "--network", "dual", "--ip6", "fd77::240", "bb:latest", "sleep", "300");
        Assert.NotEqual(0, taken.ExitCode);
        daemon.Docker("rm", "-f", "thief");

        // berthd crashes and the shim's IPv6 address is deleted: the next berthd puts it (and its route) back.
        daemon.Kill();
        HostIp("-6", "addr", "del", "fd77::240/128", "dev", shim);
        Assert.DoesNotContain("fd77::240", HostIp("addr", "show", "dev", shim), StringComparison.Ordinal);
        daemon = Restart(daemon);
        Assert.Contains("inet6 fd77::240/128", HostIp("addr", "show", "dev", shim), StringComparison.Ordinal);
        Assert.Contains($"fd77::100/120 dev {shim}", HostIp("-6", "route"), StringComparison.Ordinal);
        Assert.True(Poll.Until(() => Ping6(DockerHost, "fd77::150"), Up), "the repaired shim does not reach the container over IPv6\n" + daemon.Log);

        daemon.DockerChecked("rm", "-f", "printer");
        daemon.DockerChecked("network", "rm", "dual");
        Assert.DoesNotContain(shim, HostIp("link"), StringComparison.Ordinal);
        Assert.DoesNotContain("fd77::100/120", HostIp("-6", "route"), StringComparison.Ordinal);
        daemon.Stop();
    }

    private static bool Ping6(LabHost host, string address) => host.Exec("ping", "-6", "-n", "-c1", "-W1", address).Succeeded;
}
