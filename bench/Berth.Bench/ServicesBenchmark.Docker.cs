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
        using var dockerd = BenchDockerd.Start(dir, "docker");
        dockerd.AddSwarmAddress();
        var cli = dockerd.Cli;
        cli.Checked("swarm", "init", "--advertise-addr", BenchDockerd.SwarmAddress);
        try
        {
            BusyboxImage.Import(cli, dir);
            cli.Checked("network", "create", "-d", "overlay", "--subnet", DockerSubnet, Network);
            AddRounds(result, "docker_dnsrr_create", CreateRounds([cli], ["--endpoint-mode", "dnsrr", "--network", Network], keepLast: false));
        }
        finally
        {
            cli.Run("service", "rm", Web);
            var ids = cli.Run("ps", "-aq").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 0)
            {
                cli.Run(["rm", "-f", .. ids]);
            }

            cli.Run("network", "rm", Network);
            cli.Run("swarm", "leave", "--force");
        }
    }
}
