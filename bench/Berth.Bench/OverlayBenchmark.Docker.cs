namespace Berth.Bench;

/// <summary>
/// docker_local_converge_ms: Docker 20.10's overlay on one node (its VIPs and routing mesh do not work in this lab;
/// an attachable overlay with containers on one node does), as Berth's local_converge: a single-node swarm
/// (`swarm init --advertise-addr` <see cref="BenchDockerd.SwarmAddress"/>), an attachable overlay, a container pinger, then N rounds of
/// `docker run -d` of yN until pinger pings yN by name (<see cref="NameProbe"/>). dockerd runs in a namespace of its own
/// (<see cref="BenchDockerd"/>), which it leaves with the swarm before it is stopped and removed.
/// </summary>
internal sealed partial class OverlayBenchmark
{
    private const string DockerSubnet = "10.91.0.0/24";

    private void MeasureDocker(string dir, BenchResult result)
    {
        log.WriteLine($"overlay: Docker 20.10 (dockerd --storage-driver=vfs) in a namespace of its own, a single-node swarm: run -d until pinger pings the new container by name, {count} rounds");
        using var dockerd = BenchDockerd.StartSwarm(dir, "docker");
        var cli = dockerd.Cli;
        try
        {
            cli.Checked("network", "create", "-d", "overlay", "--attachable", "--subnet", DockerSubnet, Network);
            cli.Checked("run", "-d", "--network", Network, "--name", "pinger", BusyboxImage.Name, "sleep", "3600");
            AddRounds(result, "docker_local_converge", Rounds(cli, "y", cli, "pinger"));
        }
        finally
        {
            dockerd.LeaveSwarm(Network);
        }
    }
}
