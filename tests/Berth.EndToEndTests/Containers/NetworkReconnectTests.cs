using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// <c>docker network disconnect</c> then <c>connect</c> of the network a container was run on: Docker
/// reconnects it (before the fix: "endpoint with name web already exists in network n1", because the
/// endpoint implied by <c>--network n1</c> came back once the explicit one was gone).
/// </summary>
public sealed class NetworkReconnectTests : DaemonTest
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [RootFact]
    public void ARunningContainerDisconnectedFromItsNetworkConnectsAgainAtANewAddress()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "172.28.0.0/16", "n1");
        daemon.DockerChecked("run", "-d", "--name", "web", "--network", "n1", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "other", "--network", "n1", "bb:latest", "sleep", "300");

        daemon.DockerChecked("network", "disconnect", "n1", "web");
        Assert.Equal("", daemon.DockerChecked("inspect", "-f", "{{range $n, $e := .NetworkSettings.Networks}}{{$n}} {{end}}", "web").Output.Trim());
        daemon.DockerChecked("network", "connect", "--ip", "172.28.5.24", "n1", "web");

        Assert.Equal("172.28.5.24", daemon.DockerChecked("inspect", "-f", "{{.NetworkSettings.Networks.n1.IPAddress}}", "web").Output.Trim());
        Assert.True(Poll.Until(() => daemon.Docker("exec", "other", "ping", "-c1", "-W1", "172.28.5.24").Succeeded, Within),
            "other cannot reach web at its new address 172.28.5.24\n" + daemon.Log);
        string otherIp = daemon.DockerChecked("inspect", "-f", "{{.NetworkSettings.Networks.n1.IPAddress}}", "other").Output.Trim();
        Assert.Equal(0, daemon.Docker("exec", "web", "ping", "-c1", "-W2", otherIp).ExitCode);

        // The container stays disconnected across a stop and start when disconnected again (its endpoints are explicit).
        daemon.DockerChecked("network", "disconnect", "n1", "web");
        daemon.DockerChecked("restart", "-t", "1", "web");
        Assert.Equal("", daemon.DockerChecked("inspect", "-f", "{{range $n, $e := .NetworkSettings.Networks}}{{$n}} {{end}}", "web").Output.Trim());

        daemon.DockerChecked("rm", "-f", "web", "other");
        daemon.DockerChecked("network", "rm", "n1");
    }

    [RootFact]
    public void AnAutoRemovedContainerReconnectsToo()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "172.28.0.0/16", "n1");
        daemon.DockerChecked("run", "-d", "--rm", "--name", "web", "--network", "n1", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--rm", "--name", "other", "--network", "n1", "bb:latest", "sleep", "300");

        daemon.DockerChecked("network", "disconnect", "n1", "web");
        daemon.DockerChecked("network", "connect", "--ip", "172.28.5.24", "n1", "web");
        Assert.True(Poll.Until(() => daemon.Docker("exec", "other", "ping", "-c1", "-W1", "172.28.5.24").Succeeded, Within),
            "other cannot reach web at 172.28.5.24\n" + daemon.Log);

        daemon.DockerChecked("stop", "-t", "1", "web", "other");
        Assert.True(Poll.Until(() => daemon.DockerChecked("ps", "-aq").Output.Trim() == "", Within), "the --rm containers were not removed after stop");
        daemon.DockerChecked("network", "rm", "n1");
    }
}
