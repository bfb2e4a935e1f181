using System.Diagnostics;

namespace Berth.Bench;

/// <summary>
/// Containers with the real docker CLI: `docker run -d` to the first ping answer from the network's
/// gateway (the host, a peer on the same bridge), median and p90 over N; create+start time of the
/// 1st–20th and the last 20 of 200 containers on one network (the cost must stay flat); the daemon's
/// RSS with 200 running and the monitors' RSS each (conmon for Berth, containerd-shim for Docker). The
/// image is busybox, imported at run time from Debian's busybox-static. berthd runs in a namespace of
/// its own; when a Docker daemon answers on /var/run/docker.sock, the same plan runs against it
/// (docker_ fields) — its containers live on a local bridge, so pings stay on this machine.
/// </summary>
internal sealed partial class ContainersBenchmark(int count, bool parallelOnly, TextWriter log)
{
    private const int Fleet = 200;
    private const string DockerSocket = "/var/run/docker.sock";
    private const string Crun = "/usr/bin/crun";
    private const string UnifiedControllers = "/sys/fs/cgroup/unified/cgroup.controllers";

    /// <summary>A second berthd with `--default-runtime crun` when Debian's crun is installed (BERTH_BENCH_CRUN=0: not).</summary>
    private static bool WithCrun => File.Exists(Crun) && Environment.GetEnvironmentVariable("BERTH_BENCH_CRUN") != "0";

    public void Run(BenchResult result)
    {
        string dir = $"/run/berth-bench-{Environment.ProcessId}";
        try
        {
            using (var daemon = BenchDaemon.Start(dir, "ctr"))
            {
                Measure(new Target("berthd", daemon.Cli, daemon.NetnsPath, "10.160", "conmon", [daemon.Pid]), dir, result, "");
            }

            if (WithCrun && !StatsOnly && !CopyOnly)
            {
                MeasureCrun(dir, result);
            }

            var docker = new Target("Docker", new DockerCli("unix://" + DockerSocket), null, "10.161", "containerd-shim-runc-v2", []);
            if (File.Exists(DockerSocket) && docker.Docker("version").Code == 0)
            {
                docker = docker with { DaemonPids = [.. PidsOf("dockerd"), .. PidsOf("containerd")] };
                Measure(docker, dir, result, "docker_");
            }
            else if (BenchDockerd.Installed && Environment.GetEnvironmentVariable("BERTH_BENCH_DOCKER") != "0")
            {
                log.WriteLine("containers: starting Docker 20.10 (dockerd --storage-driver=vfs) in a namespace of its own");
                using var dockerd = BenchDockerd.Start(Path.Combine(dir, "docker"), "docker");
                Measure(docker with { Cli = dockerd.Cli, PingNamespace = dockerd.NetnsPath, DaemonPids = dockerd.DaemonPids() }, dir, result, "docker_");
            }

            AddRatios(result);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private void Measure(Target target, string dir, BenchResult result, string prefix, bool fleet = true)
    {
        string network = "benchnet" + Environment.ProcessId;
        BusyboxImage.Import(target.Cli, dir);
        target.Docker("network", "create", "--subnet", target.Subnet + ".0.0/16", network).Check();
        try
        {
            if (!parallelOnly && !StatsOnly)
            {
                if (!CopyOnly)
                {
                    MeasureRunToReady(target, network, result, prefix);
                }

                MeasureCopy(target, dir, result, prefix);
            }

            if (!StatsOnly && !CopyOnly)
            {
                MeasureParallelStart(target, network, result, prefix);
            }

            if (fleet && !parallelOnly && !CopyOnly)
            {
                MeasureStats(target, network, result, prefix);
            }

            if (fleet && !parallelOnly && !StatsOnly && !CopyOnly)
            {
                MeasureFleet(target, network, result, prefix);
            }
        }
        finally
        {
            log.WriteLine($"containers ({target.Name}): removing");
            RemoveAll(target);
            target.Docker("network", "rm", network);
            target.Docker("rmi", "berthbench:latest");
        }
    }

    private void MeasureRunToReady(Target target, string network, BenchResult result, string prefix)
    {
        log.WriteLine($"containers ({target.Name}): run -d to first ping answer, {count} times");
        var ready = new List<double>(count);
        using (var probe = IcmpProbe.Open(target.PingNamespace))
        {
            for (int i = 0; i < count; i++)
            {
                ready.Add(RunToReady(target, probe, network, $"r{i}", $"{target.Subnet}.1.{i + 10}"));
            }
        }

        result.Add(prefix + "run_ready_median_ms", Stats.Median(ready));
        result.Add(prefix + "run_ready_p90_ms", Stats.Percentile(ready, 90));
        RemoveAll(target);
    }

    private void MeasureFleet(Target target, string network, BenchResult result, string prefix)
    {
        log.WriteLine($"containers ({target.Name}): {Fleet} on one network");
        var starts = new List<double>(Fleet);
        for (int i = 0; i < Fleet; i++)
        {
            var clock = Stopwatch.StartNew();
            target.Docker("run", "-d", "--name", $"f{i}", "--network", network, "berthbench:latest", "sleep", "600").Check();
            starts.Add(clock.Elapsed.TotalMilliseconds);
        }

        result.Add(prefix + "first20_p90_ms", Stats.Percentile(starts[..20], 90));
        result.Add(prefix + "last20_p90_ms", Stats.Percentile(starts[^20..], 90));
        Thread.Sleep(2000);
        result.Add(prefix + "rss_200_mb", Stats.Round(target.DaemonPids.Sum(ProcStatus.RssMb)));
        var monitors = PidsOf(target.Monitor);
        result.Add(prefix + "monitor_rss_mb", Stats.Round(monitors.Average(ProcStatus.RssMb)));
    }

    /// <summary>
    /// The run-to-ready and parallel figures again with berthd <c>--default-runtime crun</c> (BERTH_BENCH_CRUN_PATH: crun is
    /// that binary; on a hybrid-cgroup host scripts/crun-hybrid-cgroups.sh). A crun that cannot run containers here is reported as <c>crun_error</c>, not a failed run.
    /// </summary>
    private void MeasureCrun(string dir, BenchResult result)
    {
        // crun 1.8 refuses a hybrid-cgroup host whose cgroup2 hierarchy holds a controller; the wrapper hides that hierarchy.
        bool hybrid = File.Exists(UnifiedControllers) && File.ReadAllText(UnifiedControllers).Trim().Length > 0;
        string path = Environment.GetEnvironmentVariable("BERTH_BENCH_CRUN_PATH") is { Length: > 0 } own ? own
            : hybrid ? Path.Combine(Environment.CurrentDirectory, "scripts", "crun-hybrid-cgroups.sh") : Crun;
        result.Add("crun_path", path);
        string[] arguments = ["--add-runtime", "crun=" + path, "--default-runtime", "crun"];
        using var daemon = BenchDaemon.Start(Path.Combine(dir, "crun"), "crun", extraArguments: arguments);
        try
        {
            Measure(new Target("berthd, crun", daemon.Cli, daemon.NetnsPath, "10.160", "conmon", [daemon.Pid]), dir, result, "crun_", fleet: false);
        }
        catch (InvalidOperationException e)
        {
            log.WriteLine($"containers (berthd, crun): failed: {e.Message}");
            result.Add("crun_error", e.Message.Split('\n')[0]);
        }
    }

    /// <summary>Removes every container of the bench image (docker rm -f, 50 at a time).</summary>
    private static void RemoveAll(Target target)
    {
        var ids = target.Docker("ps", "-aq", "--filter", "ancestor=berthbench:latest").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var chunk in ids.Chunk(50))
        {
            target.Docker(["rm", "-f", .. chunk]);
        }
    }

    /// <summary>`docker run -d` until the container at <paramref name="ip"/> answers a ping from its host.</summary>
    private static double RunToReady(Target target, IcmpProbe probe, string network, string name, string ip)
    {
        var clock = Stopwatch.StartNew();
        target.Docker("run", "-d", "--name", name, "--network", network, "--ip", ip, "berthbench:latest", "sleep", "600").Check();

        // Pinging before the address exists would leave a FAILED neighbour entry and a 1 s ARP retry to measure.
        return probe.WaitForReply(System.Net.IPAddress.Parse(ip), TimeSpan.FromSeconds(10))
            ? clock.Elapsed.TotalMilliseconds
            : throw new InvalidOperationException($"container {name} at {ip} never answered ping");
    }

    private static List<int> PidsOf(string name)
    {
        var processes = Process.GetProcessesByName(name);
        var pids = processes.Select(p => p.Id).ToList();
        foreach (var process in processes)
        {
            process.Dispose();
        }

        return pids;
    }

    /// <summary>A daemon under test: its socket, the namespace its containers are pinged from (null: this one), its address block, its processes.</summary>
    private sealed record Target(string Name, DockerCli Cli, string? PingNamespace, string Subnet, string Monitor, List<int> DaemonPids)
    {
        public DockerRun Docker(params string[] args) => Cli.Run(args);
    }
}
