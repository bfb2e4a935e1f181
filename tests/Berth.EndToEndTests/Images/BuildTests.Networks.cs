using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Images;

/// <summary>
/// <c>docker build --network</c>: RUN steps on the default bridge (unset), on a user network (its names resolve), on the
/// host's network and on none; the build's endpoint gone when the build ends, and after a crash in the middle of one.
/// </summary>
public sealed partial class BuildTests
{
    private static readonly string[] WebServer = ["bb:latest", "sh", "-c", "mkdir -p /www && echo served-by-$(hostname) > /www/index.html && exec httpd -f -p 80 -h /www"];

    [RootFact]
    public void RunStepsReachTheDefaultBridgeAUserNetworkByNameTheHostOrNothing()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked(["run", "-d", "--name", "plain", "--hostname", "plain", .. WebServer]);
        daemon.DockerChecked("network", "create", "--subnet", "172.31.7.0/24", "buildnet");
        daemon.DockerChecked(["run", "-d", "--name", "web", "--hostname", "web", "--network", "buildnet", .. WebServer]);
        string plain = daemon.DockerChecked("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "plain").Output.Trim();
        string bridgeSubnet = daemon.DockerChecked("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "bridge").Output.Trim();

        // Unset --network: the default bridge. The step has an address there and fetches from a container on it.
        string context = Context("on-bridge", """
            FROM bb:latest
            ARG SERVER
            RUN ip -4 -o addr show eth0 | awk '{print $4}' > /address && timeout 5 wget -q -O /fetched http://$SERVER/ && cat /address /fetched
            """);
        var onBridge = daemon.DockerChecked("build", "-t", "bridged:1", "--build-arg", "SERVER=" + plain, context);
        Assert.Contains("served-by-plain", onBridge.Output, StringComparison.Ordinal);
        string address = daemon.DockerChecked("run", "--rm", "bridged:1", "cat", "/address").Output.Trim();
        Assert.True(Core.Addressing.IPPrefix.Parse(bridgeSubnet).Contains(System.Net.IPAddress.Parse(address.Split('/')[0])), $"the step's address {address} is not on the default bridge {bridgeSubnet}");
        Assert.Equal("served-by-plain\n", daemon.DockerChecked("run", "--rm", "bridged:1", "cat", "/fetched").Output);

        // A user network: the embedded resolver answers the step (a container's name), as for a container there.
        string named = Context("on-user-network", """
            FROM bb:latest
            RUN grep nameserver /etc/resolv.conf && timeout 5 wget -q -O - http://web/ > /fetched && cat /fetched
            """);
        var onUserNetwork = daemon.DockerChecked("build", "--network", "buildnet", "-t", "named:1", named);
        Assert.Contains("nameserver 127.0.0.11", onUserNetwork.Output, StringComparison.Ordinal);
        Assert.Contains("served-by-web", onUserNetwork.Output, StringComparison.Ordinal);

        // The host's network: the docker host's own LAN address; none: loopback only, and the server is out of reach.
        string interfaces = Context("interfaces", "FROM bb:latest\nRUN ip -4 -o addr show | awk '{print $2, $4}'\n");
        var onHost = daemon.DockerChecked("build", "--network", "host", "--no-cache", interfaces);
        Assert.Contains("eth0 10.77.0.10/24", onHost.Output, StringComparison.Ordinal);
        string isolated = Context("isolated", $"FROM bb:latest\nRUN ip -4 -o addr show | awk '{{print $2, $4}}' && ! timeout 3 wget -q -O - http://{plain}/ && echo unreachable\n");
        var onNone = daemon.DockerChecked("build", "--network", "none", isolated);
        Assert.Contains("lo 127.0.0.1/8\n", onNone.Output, StringComparison.Ordinal);
        Assert.Contains("Network is unreachable", onNone.Output, StringComparison.Ordinal);
        Assert.Matches(@"(^|\n|\x1b\[0m)unreachable\n", onNone.Output); // a RUN's stderr is wrapped in colour codes
        Assert.DoesNotContain("eth0", onNone.Output, StringComparison.Ordinal);

        // Nothing of the builds is left: no namespace, no endpoint (the network goes), no veth but the remaining container's.
        Assert.Empty(BuildNamespaces(daemon));
        daemon.DockerChecked("rm", "-f", "web");
        daemon.DockerChecked("network", "rm", "buildnet");
        Assert.Single(HostIp("-o", "link", "show", "type", "veth").Split('\n'), l => l.Contains(": veth", StringComparison.Ordinal));
    }

    [RootFact]
    public void ABuildInterruptedByACrashLeavesNoEndpointOrNamespace()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "172.31.8.0/24", "crashnet");
        string context = Context("long-step", "FROM bb:latest\nRUN sleep 120\n");
        using var build = ClientProcess.Docker(daemon, "build", "--network", "crashnet", context);
        Assert.True(Poll.Until(() => BuildNamespaces(daemon).Length == 1, TimeSpan.FromSeconds(30)), "the build's namespace was not made");

        daemon.Kill();
        var again = Restart(daemon);
        Assert.Empty(BuildNamespaces(again));
        Assert.True(again.Docker("network", "rm", "crashnet").Succeeded, "the crashed build's endpoint still holds the network");
        Assert.True(Poll.Until(() => Cmd.Run("pgrep", "-f", "sleep 120").Output.Trim().Length == 0, TimeSpan.FromSeconds(10)), "the crashed build's step still runs");
    }

    private static string[] BuildNamespaces(Berthd daemon) =>
        Directory.Exists(Path.Combine(daemon.ExecRoot, "netns"))
            ? [.. Directory.GetFiles(Path.Combine(daemon.ExecRoot, "netns"), "c-build-*")]
            : [];
}
