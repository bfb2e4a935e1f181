namespace Berth.Bench;

/// <summary>
/// Container networking with the real docker CLI (`bench/run.sh networking`). berthd (the AOT build) runs
/// in a namespace of its own; on one user-defined bridge network it runs the containers every measurement
/// shares, then each measurement adds its fields — one partial per measurement:
/// <c>NetworkingBenchmark.Dns.cs</c> (embedded resolver load), <c>NetworkingBenchmark.Connect.cs</c>
/// (`network connect`/`disconnect` of a running container), <c>NetworkingBenchmark.Ports.cs</c> (published ports:
/// the 500th vs the 1st, throughput and HTTP through one vs direct; a berthd and a network of their own). When a Docker daemon answers on
/// /var/run/docker.sock, the same plan runs against it in the same run (<c>docker_</c> fields); its
/// containers live on a local bridge of this machine and nothing leaves it.
/// </summary>
internal sealed partial class NetworkingBenchmark(int count, TextWriter log)
{
    private const string DockerSocket = "/var/run/docker.sock";

    /// <summary>The container the DNS load is generated from (inside its network namespace).</summary>
    private const string ClientContainer = "nbclient";

    /// <summary>The container whose name is resolved, and which is connected and disconnected.</summary>
    private const string TargetContainer = "nbtarget";

    public void Run(BenchResult result)
    {
        string dir = $"/run/berth-bench-{Environment.ProcessId}";
        try
        {
            using (var daemon = BenchDaemon.Start(dir, "net"))
            {
                Measure(new Target("berthd", daemon.Cli, daemon.Socket, "10.162", [daemon.Pid]), dir, result, "");
            }

            // BERTH_BENCH_NETWORKING_PORTS=0 leaves out the published-port part (500 containers: minutes).
            bool ports = Environment.GetEnvironmentVariable("BERTH_BENCH_NETWORKING_PORTS") != "0";
            if (ports)
            {
                MeasurePortsOnBerth(dir, result);
            }

            var docker = new Target("Docker", new DockerCli("unix://" + DockerSocket), DockerSocket, "10.163", [.. PidsOf("dockerd")]);
            if (File.Exists(DockerSocket) && docker.Cli.Run("version").Code == 0)
            {
                log.WriteLine($"networking: a Docker daemon answers on {DockerSocket}; the same measurements against it");
                Measure(docker, dir, result, "docker_");
                if (ports)
                {
                    MeasurePorts(new PortScene(docker, null, null), dir, result, "docker_");
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private void Measure(Target target, string dir, BenchResult result, string prefix)
    {
        using var api = UnixHttp.Create(target.ApiSocket);
        var docker = target.Cli;
        string network = "nbnet" + Environment.ProcessId;
        string second = "nbnet2-" + Environment.ProcessId;
        BusyboxImage.Import(docker, dir);
        docker.Checked("network", "create", "--subnet", target.Subnet + ".0.0/24", network);
        docker.Checked("network", "create", "--subnet", target.Subnet + ".1.0/24", second);
        try
        {
            foreach (string name in new[] { ClientContainer, TargetContainer })
            {
                docker.Checked("run", "-d", "--name", name, "--network", network, BusyboxImage.Name, "sleep", "3600");
            }

            var scene = new Scene(target, api, network, second);
            MeasureDns(scene, result, prefix);
            MeasureConnect(scene, result, prefix);
        }
        finally
        {
            log.WriteLine($"networking ({target.Name}): removing");
            docker.Run("rm", "-f", ClientContainer, TargetContainer);
            docker.Run("network", "rm", network, second);
            docker.Run("rmi", BusyboxImage.Name);
        }
    }

    /// <summary>A daemon under test: its CLI, its API socket, the /16 its networks are made in, and the processes that answer DNS.</summary>
    private sealed record Target(string Name, DockerCli Cli, string ApiSocket, string Subnet, IReadOnlyList<int> DaemonPids);

    private static List<int> PidsOf(string name)
    {
        var processes = System.Diagnostics.Process.GetProcessesByName(name);
        var pids = processes.Select(p => p.Id).ToList();
        foreach (var process in processes)
        {
            process.Dispose();
        }

        return pids;
    }

    /// <summary>What every measurement works on: the daemon, its API, the running containers' network, and a second network to connect them to.</summary>
    private sealed record Scene(Target Target, HttpClient Api, string Network, string SecondNetwork)
    {
        public DockerCli Cli => Target.Cli;
    }
}
