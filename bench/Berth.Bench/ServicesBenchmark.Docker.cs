namespace Berth.Bench;

/// <summary>
/// docker_dnsrr_create_…: Docker 20.10's `service create --replicas 10 --endpoint-mode dnsrr` until converged, as Berth's
/// create rounds, on a single-node swarm (`swarm init --advertise-addr` <see cref="BenchDockerd.SwarmAddress"/>) with an
/// overlay <see cref="Network"/>: its VIPs and routing mesh do not work in this lab, dnsrr on an overlay does. dockerd
/// runs in a namespace of its own (<see cref="BenchDockerd"/>), which it leaves with the swarm before it is stopped and removed.
/// </summary>
internal sealed partial class ServicesBenchmark
{
    private const string DockerSubnet = "10.93.0.0/24";

    private void MeasureDocker(string dir, BenchResult result)
    {
        log.WriteLine($"services: Docker 20.10 (dockerd --storage-driver=vfs) in a namespace of its own, a single-node swarm: service create --replicas {Replicas} --endpoint-mode dnsrr until converged, {count} rounds");
        using var dockerd = BenchDockerd.StartSwarm(dir, "docker");
        var cli = dockerd.Cli;
        try
        {
            cli.Checked("network", "create", "-d", "overlay", "--subnet", DockerSubnet, Network);
            AddRounds(result, "docker_dnsrr_create", CreateRounds([cli], ["--endpoint-mode", "dnsrr", "--network", Network], keepLast: false));
        }
        finally
        {
            dockerd.LeaveSwarm(Network);
        }
    }
}
