using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// <c>docker network connect</c>/<c>disconnect</c> through the real docker CLI: a running container
/// gets (and loses) an interface on another network at once; a created one is started with both;
/// Docker's errors; network inspect lists the connected containers.
/// </summary>
public sealed class NetworkConnectTests : DaemonTest
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [RootFact]
    public void ARunningContainerJoinsAndLeavesASecondNetwork()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.160.0.0/24", "front");
        string backId = daemon.DockerChecked("network", "create", "--subnet", "10.161.0.0/24", "back").Output.Trim();
        daemon.DockerChecked("run", "-d", "--name", "peer", "--network", "back", "--ip", "10.161.0.10", "bb:latest", "sleep", "300");
        string id = daemon.DockerChecked("run", "-d", "--name", "app", "--network", "front", "bb:latest", "sleep", "300").Output.Trim();
        string netns = $"/proc/{Pid(daemon, "app")}/ns/net";
        Assert.False(InNetns.Ping(netns, "10.161.0.10"), "app reaches back before it is connected to it");

        daemon.DockerChecked("network", "connect", "--ip", "10.161.0.20", "--alias", "api", "back", "app");
        Assert.True(InNetns.PingWithin(netns, "10.161.0.10", Within), "app cannot reach its peer on back after connect\n" + daemon.Log);
        Assert.Contains("inet 10.161.0.20/24", InNetns.Ip(netns, "-o", "addr", "show", "eth1"), StringComparison.Ordinal);
        Assert.Contains("default via 10.160.0.1 dev eth0", InNetns.Ip(netns, "route"), StringComparison.Ordinal);
        Assert.DoesNotContain("default via 10.161.0.1", InNetns.Ip(netns, "route"), StringComparison.Ordinal);
        Assert.Contains("10.161.0.20\t" + id[..12] + " app", File.ReadAllText($"/proc/{Pid(daemon, "app")}/root/etc/hosts"), StringComparison.Ordinal);
        Assert.Equal("10.161.0.20 10.160.0.", daemon.DockerChecked("inspect", "-f", "{{.NetworkSettings.Networks.back.IPAddress}} {{.NetworkSettings.Networks.front.IPAddress}}", "app").Output.Trim()[..21]);

        // network inspect lists it (docker and berth alike), with its address in CIDR form.
        string listed = daemon.DockerChecked("network", "inspect", "-f", "{{range $id, $c := .Containers}}{{$c.Name}}={{$c.IPv4Address}} {{end}}", "back").Output.Trim();
        Assert.Equal("app=10.161.0.20/24 peer=10.161.0.10/24", string.Join(' ', listed.Split(' ').Order(StringComparer.Ordinal)));
        Assert.Contains(id, daemon.DockerChecked("network", "inspect", backId).Output, StringComparison.Ordinal);
        Assert.Equal(daemon.DockerChecked("network", "inspect", "back").Output, daemon.BerthCli("network", "inspect", "back").Output);

        // Docker's errors.
        Assert.Contains("endpoint with name app already exists in network back", daemon.Docker("network", "connect", "back", "app").Error, StringComparison.Ordinal);
        daemon.DockerChecked("network", "create", "picked");
        Assert.Contains("user specified IP address is supported only when connecting to networks with user configured subnets",
            daemon.Docker("network", "connect", "--ip", "10.99.0.5", "picked", "app").Error, StringComparison.Ordinal);
        Assert.Contains("network nosuch not found", daemon.Docker("network", "connect", "nosuch", "app").Error, StringComparison.Ordinal);
        Assert.Contains("No such container: nosuch", daemon.Docker("network", "connect", "back", "nosuch").Error, StringComparison.Ordinal);
        daemon.DockerChecked("run", "-d", "--name", "hosted", "--network", "host", "bb:latest", "sleep", "300");
        Assert.Contains("container sharing network namespace with another container or host cannot be connected to any other network",
            daemon.Docker("network", "connect", "back", "hosted").Error, StringComparison.Ordinal);
        daemon.DockerChecked("run", "-d", "--name", "alone", "--network", "none", "bb:latest", "sleep", "300");
        Assert.Contains("private (none) mode", daemon.Docker("network", "connect", "back", "alone").Error, StringComparison.Ordinal);
        Assert.Contains("cannot connect container to host network", daemon.Docker("network", "connect", "host", "app").Error, StringComparison.Ordinal);
        Assert.Contains("has active endpoints", daemon.Docker("network", "rm", "back").Error, StringComparison.Ordinal);

        // Disconnect: the interface goes, the peer is out of reach, the address is free again.
        daemon.DockerChecked("network", "disconnect", "back", "app");
        Assert.DoesNotContain("eth1", InNetns.Ip(netns, "-o", "link"), StringComparison.Ordinal);
        Assert.False(InNetns.Ping(netns, "10.161.0.10"), "app still reaches back after disconnect");
        Assert.DoesNotContain("10.161.0.20", File.ReadAllText($"/proc/{Pid(daemon, "app")}/root/etc/hosts"), StringComparison.Ordinal);
        Assert.Equal("peer", daemon.DockerChecked("network", "inspect", "-f", "{{range .Containers}}{{.Name}}{{end}}", "back").Output.Trim());
        Assert.Contains($"container {id} is not connected to network back", daemon.Docker("network", "disconnect", "back", "app").Error, StringComparison.Ordinal);
        daemon.DockerChecked("run", "-d", "--name", "reuse", "--network", "back", "--ip", "10.161.0.20", "bb:latest", "sleep", "300");
        Assert.True(InNetns.PingWithin($"/proc/{Pid(daemon, "peer")}/ns/net", "10.161.0.20", Within), "the released address cannot be used again");

        daemon.DockerChecked("rm", "-f", "app", "peer", "hosted", "alone", "reuse");
        daemon.DockerChecked("network", "rm", "front", "back", "picked");
    }

    [RootFact]
    public void ACreatedContainerConnectedBeforeStartHasBothNetworks()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.162.0.0/24", "one");
        daemon.DockerChecked("network", "create", "--subnet", "10.163.0.0/24", "two");
        daemon.DockerChecked("run", "-d", "--name", "peer", "--network", "two", "--ip", "10.163.0.10", "bb:latest", "sleep", "300");
        daemon.DockerChecked("create", "--name", "late", "--network", "one", "bb:latest", "sleep", "300");

        daemon.DockerChecked("network", "connect", "--ip", "10.163.0.30", "two", "late");
        Assert.Equal("one two", string.Join(' ', daemon.DockerChecked("inspect", "-f", "{{range $n, $e := .NetworkSettings.Networks}}{{$n}} {{end}}", "late").Output.Trim().Split(' ').Order(StringComparer.Ordinal)));
        Assert.Equal("", daemon.DockerChecked("network", "inspect", "-f", "{{range .Containers}}{{.Name}}{{end}}", "one").Output.Trim());

        // A disconnect and reconnect (what compose does) and a duplicate connect of a created container are accepted.
        daemon.DockerChecked("network", "disconnect", "one", "late");
        daemon.DockerChecked("network", "connect", "one", "late");
        daemon.DockerChecked("network", "connect", "one", "late");
        Assert.Contains("is not connected to the network", daemon.Docker("network", "disconnect", "bridge", "late").Error, StringComparison.Ordinal);

        daemon.DockerChecked("start", "late");
        string netns = $"/proc/{Pid(daemon, "late")}/ns/net";
        Assert.Equal("10.163.0.30", daemon.DockerChecked("inspect", "-f", "{{.NetworkSettings.Networks.two.IPAddress}}", "late").Output.Trim());
        Assert.StartsWith("10.162.0.", daemon.DockerChecked("inspect", "-f", "{{.NetworkSettings.Networks.one.IPAddress}}", "late").Output.Trim(), StringComparison.Ordinal);
        Assert.True(InNetns.PingWithin(netns, "10.163.0.10", Within), "late cannot reach its peer on two\n" + daemon.Log);
        Assert.Equal("late", daemon.DockerChecked("network", "inspect", "-f", "{{range .Containers}}{{.Name}}{{end}}", "one").Output.Trim());

        daemon.DockerChecked("rm", "-f", "late", "peer");
        daemon.DockerChecked("network", "rm", "one", "two");
    }

    private static int Pid(Berthd daemon, string name) =>
        int.Parse(daemon.DockerChecked("inspect", "-f", "{{.State.Pid}}", name).Output.Trim(), CultureInfo.InvariantCulture);
}
