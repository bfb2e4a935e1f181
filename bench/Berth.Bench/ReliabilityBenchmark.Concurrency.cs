using Berth.Load;

namespace Berth.Bench;

internal sealed partial class ReliabilityBenchmark
{
    private const int Clients = 50;
    private static readonly TimeSpan LoadTime = TimeSpan.FromSeconds(40);
    private static readonly string[] LoadNetworks = ["conc-a", "conc-b", "conc-c"];

    /// <summary>The end-to-end ConcurrencyTests' load (tests/…/Reliability/Load, the same source) on berthd, then on Docker 20.10.</summary>
    private void Concurrency(BenchResult result)
    {
        string dir = $"/run/berth-bench-{Environment.ProcessId}-load";
        try
        {
            using (var daemon = BenchDaemon.Start(dir, "load"))
            {
                ConcurrencyRound(daemon.Cli, daemon.Socket, dir, result, "");
            }

            if (BenchDockerd.Installed && Environment.GetEnvironmentVariable("BERTH_BENCH_DOCKER") != "0")
            {
                log.WriteLine("concurrency: starting Docker 20.10 (dockerd --storage-driver=vfs) in a namespace of its own");
                using var dockerd = BenchDockerd.Start(Path.Combine(dir, "docker"), "load-docker");
                ConcurrencyRound(dockerd.Cli, dockerd.Cli.Host["unix://".Length..], dir, result, "docker_");
            }

            result.Add("ping_p99_target_ms", PingP99TargetMs);
            result.Add("ping_p99_target_met", result.Number("ping_p99_ms") < PingP99TargetMs);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private void ConcurrencyRound(DockerCli cli, string socket, string dir, BenchResult result, string prefix)
    {
        BusyboxImage.Import(cli, dir);
        for (int i = 0; i < LoadNetworks.Length; i++)
        {
            cli.Checked("network", "create", "--subnet", $"10.{60 + i}.0.0/24", LoadNetworks[i]);
        }

        log.WriteLine($"concurrency ({(prefix == "" ? "berthd" : "Docker 20.10")}): {Clients} clients for {LoadTime.TotalSeconds:0} s");
        LoadRound round;
        using (var api = UnixHttp.Create(socket))
        using (var watch = UnixHttp.Create(socket))
        {
            round = new ConcurrentLoad(api, watch, BusyboxImage.Name, LoadNetworks).RunAsync(Clients, LoadTime).GetAwaiter().GetResult();
        }

        foreach (string failure in round.Failures)
        {
            log.WriteLine($"concurrency ({prefix.TrimEnd('_')}): {failure}");
        }

        result.Add(prefix + "operations", round.OperationCount);
        result.Add(prefix + "status5xx", round.Failures.Count(f => f.Contains(": 5", StringComparison.Ordinal)));
        result.Add(prefix + "clients_ended", round.Ended);
        result.Add(prefix + "pings", round.PingsMs.Count);
        result.Add(prefix + "ping_p50_ms", Math.Round(round.PingP50, 1));
        result.Add(prefix + "ping_p99_ms", Math.Round(round.PingP99, 1));
        result.Add(prefix + "ping_max_ms", Math.Round(round.PingMax, 1));

        // Everything the load made, removed before the daemon stops.
        string ids = cli.Run("ps", "-aq").Output;
        foreach (string id in ids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            cli.Run("rm", "-f", id);
        }

        foreach (string network in LoadNetworks.Concat(Enumerable.Range(0, ConcurrentLoad.NetworkNames).Select(n => $"n{n}")))
        {
            cli.Run("network", "rm", network);
        }

        cli.Run("volume", "prune", "-f", "--filter", "all=1");
    }
}
