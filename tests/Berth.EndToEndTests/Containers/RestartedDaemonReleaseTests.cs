using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// A berthd restarted with running containers keeps all its threads in its own namespace, so a container removed
/// afterwards really goes: its namespace is dismantled and its veth leaves the bridge, and a new container may take
/// its address without a twin of it lingering on the same bridge.
/// </summary>
public sealed class RestartedDaemonReleaseTests : DaemonTest
{
    [RootFact]
    public void AContainerRemovedAfterARestartLeavesNothingOnTheBridge()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string networkId = daemon.DockerChecked("network", "create", "--subnet", "10.173.0.0/24", "kept").Output.Trim();
        daemon.DockerChecked("run", "-d", "--name", "survivor", "--network", "kept", "--ip", "10.173.0.10", "bb:latest", "sleep", "300");

        // Restarted with a running container on a user network, berthd's first socket is that container's resolver
        // socket, opened inside its namespace: no thread of berthd may be born there.
        daemon.Kill();
        daemon = Restart(daemon);
        Assert.Empty(DaemonThreads.OutsideItsNamespace(daemon));
        Assert.Equal(["10.173.0.10"], Nslookup.Addresses(daemon, "survivor", "survivor"));

        daemon.DockerChecked("rm", "-f", "survivor");
        string Ports() => HostIp("-o", "link", "show", "master", "br-" + networkId[..12]).Trim();
        Assert.True(Poll.Until(() => Ports().Length == 0, TimeSpan.FromSeconds(10)),
            $"the removed container's veth is still on the bridge:\n{Ports()}\nberthd's threads elsewhere: {string.Join(", ", DaemonThreads.OutsideItsNamespace(daemon))}");

        daemon.DockerChecked("network", "rm", "kept");
        daemon.Stop();
    }
}
