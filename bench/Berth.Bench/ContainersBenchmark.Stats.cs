namespace Berth.Bench;

/// <summary>
/// <c>stats_cpu_ms_per_container</c>: the daemon's CPU time (its processes and the container monitors, /proc/PID/stat)
/// to serve one <c>docker stats</c> sample, with <see cref="StatsContainers"/> containers each streamed for
/// <see cref="StatsWindow"/> (one sample a second per stream, as the CLI reads them), less the CPU the same
/// processes use over an equal window with the containers running and nobody asking. Docker's twin counts dockerd,
/// containerd and the shims (which read the cgroups for it); Berth's counts berthd and conmon.
/// BERTH_BENCH_STATS_ONLY=1 runs only this part.
/// </summary>
internal sealed partial class ContainersBenchmark
{
    private const int StatsContainers = 10;

    private static readonly TimeSpan StatsWindow = TimeSpan.FromSeconds(10);

    private static bool StatsOnly => Environment.GetEnvironmentVariable("BERTH_BENCH_STATS_ONLY") == "1";

    private void MeasureStats(Target target, string network, BenchResult result, string prefix)
    {
        log.WriteLine($"containers ({target.Name}): stats of {StatsContainers} containers streamed for {StatsWindow.TotalSeconds:0} s");
        var names = Enumerable.Range(0, StatsContainers).Select(i => $"s{i}").ToList();
        foreach (string name in names)
        {
            target.Docker("run", "-d", "--name", name, "--network", network, "berthbench:latest", "sleep", "600").Check();
        }

        try
        {
            var pids = target.DaemonPids.Concat(PidsOf(target.Monitor)).ToList();
            double idle = CpuOver(pids, () => Thread.Sleep(StatsWindow));
            int samples = 0;
            double busy = CpuOver(pids, () => samples = StreamStats(target, names));
            double perSample = Math.Max(0, busy - idle) * 1000 / Math.Max(1, samples);
            result.Add(prefix + "stats_samples", samples);
            result.Add(prefix + "stats_cpu_ms_per_container", Stats.Round(perSample));
        }
        finally
        {
            target.Docker(["rm", "-f", .. names]);
        }
    }

    /// <summary>One stats stream per container for the window; the samples received in all.</summary>
    private static int StreamStats(Target target, List<string> names)
    {
        string socket = target.Cli.Host["unix://".Length..];
        using var deadline = new CancellationTokenSource(StatsWindow);
        var streams = names.Select(name => Task.Run(async () =>
        {
            using var client = UnixHttp.Create(socket);
            client.Timeout = Timeout.InfiniteTimeSpan;
            int lines = 0;
            try
            {
                using var response = await client.GetAsync($"/containers/{name}/stats?stream=1", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
                while (await reader.ReadLineAsync(deadline.Token) is { Length: > 0 })
                {
                    lines++;
                }
            }
            catch (OperationCanceledException)
            {
                // The window is over.
            }

            return lines;
        })).ToArray();
        Task.WaitAll(streams);
        return streams.Sum(s => s.Result);
    }

    /// <summary>CPU seconds <paramref name="pids"/> used while <paramref name="work"/> ran (processes gone meanwhile count until they went).</summary>
    private static double CpuOver(List<int> pids, Action work)
    {
        double Total() => pids.Sum(pid => File.Exists($"/proc/{pid}/stat") ? ProcStatus.CpuSeconds(pid) : 0);
        double before = Total();
        work();
        return Total() - before;
    }
}
