using System.Globalization;
using System.Net;

namespace Berth.Bench;

/// <summary>
/// dns_qps, dns_p50_ms, dns_p99_ms: the embedded resolver at 127.0.0.11 under load from inside the client
/// container's network namespace (found through /proc/PID/ns/net of its process, for Berth and Docker
/// alike), asking for the target container's name with <see cref="DnsLoadGenerator.DefaultWindow"/> queries in
/// flight. A warm-up round, then <see cref="DnsRounds"/> measured rounds; the medians are reported, with
/// the daemon's CPU time per answer (dns_cpu_us_per_query: user + system time of berthd, or of dockerd,
/// whose resolver runs inside it) — a figure that depends much less on what else the machine runs than q/s.
/// </summary>
internal sealed partial class NetworkingBenchmark
{
    private const int DnsRounds = 3;
    private static readonly TimeSpan DnsWarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DnsRound = TimeSpan.FromSeconds(4);

    private void MeasureDns(Scene scene, BenchResult result, string prefix)
    {
        var docker = scene.Cli;
        var expected = IPAddress.Parse(docker.Checked("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{scene.Network}\").IPAddress}}}}", TargetContainer));
        using var generator = DnsLoadGenerator.Open(docker.NetnsOf(ClientContainer), TargetContainer);

        // The resolver may open its sockets a moment after `docker run` returns.
        List<IPAddress> answer = [];
        Poll.Until(() => TryResolve(generator, out answer), TimeSpan.FromSeconds(10), $"{TargetContainer} to resolve from {ClientContainer}");
        if (!answer.Contains(expected))
        {
            throw new InvalidOperationException($"{TargetContainer} resolved to {string.Join(", ", answer)}, not {expected}");
        }

        log.WriteLine($"networking ({scene.Target.Name}): DNS load, {DnsLoadGenerator.DefaultWindow} in flight, {DnsRounds} rounds of {DnsRound.TotalSeconds:0} s");
        generator.Run(DnsWarmUp, DnsLoadGenerator.DefaultWindow);
        var rounds = new List<DnsLoadRound>(DnsRounds);
        var cpuPerQuery = new List<double>(DnsRounds);
        for (int i = 0; i < DnsRounds; i++)
        {
            double cpuBefore = scene.Target.DaemonPids.Sum(ProcStatus.CpuSeconds);
            var round = generator.Run(DnsRound, DnsLoadGenerator.DefaultWindow);
            double cpuMicros = (scene.Target.DaemonPids.Sum(ProcStatus.CpuSeconds) - cpuBefore) * 1e6 / Math.Max(1, round.Answered);
            cpuPerQuery.Add(cpuMicros);
            log.WriteLine($"  round {i + 1}: {round.Qps:0} q/s, p50 {round.P50Ms} ms, p99 {round.P99Ms} ms ({round.Answered} answered, {round.Failed} failed, {round.Lost} lost), daemon CPU {cpuMicros:0.0} µs per answer");
            if (round.Failed > 0)
            {
                throw new InvalidOperationException($"{round.Failed} answers for {TargetContainer} had an error code or no record");
            }

            rounds.Add(round);
        }

        result.Add(prefix + "dns_qps", Math.Round(Stats.Median([.. rounds.Select(r => r.Qps)])));
        result.Add(prefix + "dns_p50_ms", Stats.Median([.. rounds.Select(r => r.P50Ms)]));
        result.Add(prefix + "dns_p99_ms", Stats.Median([.. rounds.Select(r => r.P99Ms)]));
        result.Add(prefix + "dns_lost", rounds.Sum(r => r.Lost));
        result.Add(prefix + "dns_cpu_us_per_query", Math.Round(Stats.Median(cpuPerQuery), 1));
    }

    private static bool TryResolve(DnsLoadGenerator generator, out List<IPAddress> answer)
    {
        try
        {
            answer = generator.Resolve();
            return answer.Count > 0;
        }
        catch (InvalidOperationException)
        {
            answer = [];
            return false;
        }
    }
}
