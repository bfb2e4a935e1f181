using System.Diagnostics;
using System.Net;

namespace Berth.Bench;

/// <summary>
/// Starts in parallel: 40 `docker run -d` issued by 8 concurrent clients (each runs one, waits until it answers
/// a ping, takes the next), wall time until all 40 answered, beside the same 40 one after another by one client.
/// Fresh containers every round (removed after each), rounds alternate serial and parallel, the median round is
/// reported. A daemon that serialises its starts behind one gate shows parallel ≈ serial.
/// </summary>
internal sealed partial class ContainersBenchmark
{
    private const int StartContainers = 40;
    private const int StartClients = 8;
    private const int StartRounds = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private void MeasureParallelStart(Target target, string network, BenchResult result, string prefix)
    {
        var serial = new List<double>(StartRounds);
        var parallel = new List<double>(StartRounds);
        for (int round = 0; round < StartRounds; round++)
        {
            serial.Add(StartWall(target, network, $"s{round}-", $"{target.Subnet}.{10 + round}", clients: 1));
            RemoveAll(target);
            parallel.Add(StartWall(target, network, $"p{round}-", $"{target.Subnet}.{20 + round}", StartClients));
            RemoveAll(target);
            log.WriteLine($"containers ({target.Name}): round {round + 1}: {StartContainers} started serially in {serial[^1]:0} ms, by {StartClients} clients in {parallel[^1]:0} ms");
        }

        result.Add(prefix + "serial_start_wall_ms", Stats.Median(serial));
        result.Add(prefix + "parallel_start_wall_ms", Stats.Median(parallel));
        result.Add(prefix + "parallel_vs_serial", Stats.Round(Stats.Median(parallel) / Stats.Median(serial)));
    }

    /// <summary>
    /// Wall time for <see cref="StartContainers"/> containers, handed out to <paramref name="clients"/> threads,
    /// each running `docker run -d` then waiting for that container's first echo reply before taking the next.
    /// </summary>
    private double StartWall(Target target, string network, string namePrefix, string addressPrefix, int clients)
    {
        int next = -1;
        var failures = new List<Exception>();
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, clients).Select(_ => new Thread(() =>
        {
            try
            {
                // One raw socket per client: each sees every echo reply and keeps those from its own container.
                using var probe = IcmpProbe.Open(target.PingNamespace);
                for (int i = Interlocked.Increment(ref next); i < StartContainers; i = Interlocked.Increment(ref next))
                {
                    string ip = $"{addressPrefix}.{i + 10}";
                    target.Docker("run", "-d", "--name", namePrefix + i, "--network", network, "--ip", ip, BusyboxImage.Name, "sleep", "600").Check();
                    if (!probe.WaitForReply(IPAddress.Parse(ip), ReadyTimeout))
                    {
                        throw new InvalidOperationException($"container {namePrefix}{i} at {ip} never answered ping");
                    }
                }
            }
            catch (Exception e) when (e is InvalidOperationException or System.Net.Sockets.SocketException)
            {
                lock (failures)
                {
                    failures.Add(e);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        double wall = clock.Elapsed.TotalMilliseconds;
        return failures.Count == 0 ? Stats.Round(wall) : throw new AggregateException("starting containers in parallel failed", failures);
    }

    /// <summary>The figures the targets are stated in: parallel against serial, against Docker's parallel, crun against runc.</summary>
    private static void AddRatios(BenchResult result)
    {
        if (result.Number("parallel_start_wall_ms") is { } parallel && result.Number("docker_parallel_start_wall_ms") is { } docker)
        {
            result.Add("parallel_vs_docker_parallel", Stats.Round(parallel / docker));
        }

        if (result.Number("run_ready_median_ms") is { } runc && result.Number("crun_run_ready_median_ms") is { } crun)
        {
            result.Add("crun_vs_runc_run_ready", Stats.Round(crun / runc));
        }
    }
}
