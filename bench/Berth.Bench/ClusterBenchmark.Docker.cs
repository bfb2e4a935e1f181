namespace Berth.Bench;

internal sealed partial class ClusterBenchmark
{
    /// <summary>
    /// Docker 20.10's single-node `swarm init` (median of N, `swarm leave --force` between), its dockerd in a namespace
    /// of its own whose only address besides loopback is <see cref="BenchDockerd.SwarmAddress"/>.
    /// </summary>
    private void DockerInit(string dir, BenchResult result)
    {
        log.WriteLine($"cluster: Docker 20.10 (dockerd --storage-driver=vfs) in a namespace of its own: swarm init, {count} rounds");
        using var dockerd = BenchDockerd.Start(dir, "docker");
        dockerd.AddSwarmAddress();
        var cli = dockerd.Cli;
        var times = new List<double>(count);
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                cli.Run("swarm", "leave", "--force").Check();
            }

            times.Add(Timed(() => cli.Run("swarm", "init", "--advertise-addr", BenchDockerd.SwarmAddress).Check()));
        }

        cli.Run("swarm", "leave", "--force").Check();
        result.Add("docker_init_ms", Stats.Median(times));
        result.Add("docker_dockerd_rss_mb", ProcStatus.RssMb(dockerd.Pid));
    }
}
