using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Networks;

/// <summary>
/// The guide's host⇄macvlan problem: the docker host cannot reach its own macvlan containers (the
/// kernel passes no frames between a parent and its macvlans) until Berth gives it a shim of its own
/// with <c>berth.macvlan.host_address</c>.
/// </summary>
public sealed class MacvlanHostShimTests : DaemonTest
{
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(10);

    private static readonly string[] LanNetwork = ["-d", "macvlan", "--subnet", "10.77.0.0/24", "--gateway", "10.77.0.1", "--ip-range", "10.77.0.48/28", "-o", "parent=eth0"];

    [RootFact]
    public void TheHostReachesItsMacvlanContainerOnlyThroughTheShimWhichGoesWithTheNetworkAndSurvivesACrash()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // Without a shim: the LAN reaches the container, the docker host itself does not.
        daemon.DockerChecked(["network", "create", .. LanNetwork, "plain"]);
        daemon.DockerChecked("run", "-d", "--name", "printer", "--network", "plain", "--ip", "10.77.0.50", "bb:latest", "sleep", "300");
        Assert.True(LanPeer.PingWithin("10.77.0.50", Up), "the LAN peer cannot reach the container\n" + daemon.Log);
        Assert.False(DockerHost.Ping("10.77.0.50"), "the docker host reached its macvlan container without a shim");
        daemon.DockerChecked("rm", "-f", "printer");
        daemon.DockerChecked("network", "rm", "plain");

        // An address IPAM could hand out is refused, naming the problem; nothing is made.
        var refused = daemon.Docker(["network", "create", .. LanNetwork, "-o", "berth.macvlan.host_address=10.77.0.50", "bad"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("berth.macvlan.host_address=10.77.0.50 lies in 10.77.0.48/28, where containers get their addresses", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("bsh-", HostIp("link"), StringComparison.Ordinal);
        Assert.Equal("", daemon.DockerChecked("network", "ls", "-q", "--filter", "name=bad").Output.Trim());

        // With the shim (berth's shortcut for the option): both ways work.
        var created = daemon.BerthCli(["network", "create", .. LanNetwork, "--host-address", "10.77.0.240", "shimmed"]);
        Assert.True(created.Succeeded, created + "\n" + daemon.Log);
        string id = created.Output.Trim();
        string shim = "bsh-" + id[..8];
        Assert.Equal("10.77.0.240", daemon.DockerChecked("network", "inspect", "-f", "{{index .Options \"berth.macvlan.host_address\"}}", "shimmed").Output.Trim());
        string link = HostIp("-d", "link", "show", shim);
        Assert.Contains("macvlan mode bridge", link, StringComparison.Ordinal);
        Assert.Contains($"{shim}@eth0", link, StringComparison.Ordinal);
        Assert.Contains("inet 10.77.0.240/32", HostIp("addr", "show", "dev", shim), StringComparison.Ordinal);
        Assert.Contains($"10.77.0.48/28 dev {shim}", HostIp("route"), StringComparison.Ordinal);

        daemon.DockerChecked("run", "-d", "--name", "printer", "--network", "shimmed", "--ip", "10.77.0.50", "bb:latest", "sleep", "300");
        Assert.True(DockerHost.PingWithin("10.77.0.50", Up), "the docker host cannot reach the container through the shim\n" + HostIp("route") + daemon.Log);
        Assert.Equal(0, daemon.Docker("exec", "printer", "ping", "-c1", "-W2", "10.77.0.240").ExitCode);
        Assert.True(LanPeer.Ping("10.77.0.50"), "the LAN peer lost the container");

        // The shim's address is never a container's.
        var taken = daemon.Docker("run", "-d", "--name", "thief", "--network", "shimmed", "--ip", "10.77.0.240", "bb:latest", "sleep", "300");
        Assert.NotEqual(0, taken.ExitCode);
        Assert.Contains("10.77.0.240", taken.Error, StringComparison.Ordinal);
        daemon.Docker("rm", "-f", "thief");

        // berthd crashes, someone deletes the shim; the next berthd puts it back.
        daemon.Kill();
        HostIp("link", "del", shim);
        Assert.False(DockerHost.Ping("10.77.0.50"), "the docker host reached the container with the shim deleted");
        daemon = Restart(daemon);
        Assert.Contains("inet 10.77.0.240/32", HostIp("addr", "show", "dev", shim), StringComparison.Ordinal);
        Assert.Contains($"10.77.0.48/28 dev {shim}", HostIp("route"), StringComparison.Ordinal);
        Assert.True(DockerHost.PingWithin("10.77.0.50", Up), "the re-created shim does not reach the container\n" + daemon.Log);

        // The shim and its route go with the network.
        daemon.DockerChecked("rm", "-f", "printer");
        daemon.DockerChecked("network", "rm", "shimmed");
        Assert.DoesNotContain(shim, HostIp("link"), StringComparison.Ordinal);
        Assert.DoesNotContain("10.77.0.48/28", HostIp("route"), StringComparison.Ordinal);
        Assert.False(DockerHost.Ping("10.77.0.50"));
        daemon.Stop();
    }
}
