using System.Security.Cryptography;
using Berth.Fuzzing;

namespace Berth.Bench;

/// <summary>
/// The API fuzzer of the end-to-end tests (tests/Berth.EndToEndTests/Reliability/Fuzzing, the same source) against
/// a berthd of its own for <paramref name="minutes"/> with a random seed (BERTH_BENCH_FUZZ_SEED: a given one, to
/// replay). Every failure goes to stderr with its request; replay it with BERTH_FUZZ_SEED in Berth.Api.Tests'
/// ApiFuzzTests and make it a regression test. Leftovers are objects the API could not remove after the round plus
/// kernel differences (links, nft tables, netns) from before it.
/// </summary>
internal sealed class FuzzBenchmark(double minutes, TextWriter log)
{
    public void Run(BenchResult result)
    {
        long seed = long.TryParse(Environment.GetEnvironmentVariable("BERTH_BENCH_FUZZ_SEED"), out long given) ? given : RandomNumberGenerator.GetInt32(int.MaxValue);
        string dir = $"/run/berth-bench-{Environment.ProcessId}-fuzz";
        try
        {
            using var daemon = BenchDaemon.Start(dir, "fuzz");
            BusyboxImage.Import(daemon.Cli, dir);
            using var http = UnixHttp.Create(daemon.Socket);
            var store = ApiSnapshot.TakeAsync(http).GetAwaiter().GetResult();
            var kernel = KernelSnapshot.Take(daemon.Netns, daemon.ExecRoot);
            double rssBefore = ProcStatus.RssMb(daemon.Pid);
            log.WriteLine($"fuzzing berthd for {minutes} min, seed {seed}");

            var round = new ApiFuzzer(http, BusyboxImage.Name).RunAsync(seed, int.MaxValue, DateTime.UtcNow.AddMinutes(minutes)).GetAwaiter().GetResult();
            double rssAfter = ProcStatus.RssMb(daemon.Pid);
            foreach (string failure in round.Failures)
            {
                log.WriteLine(failure);
            }

            var stuck = ApiSnapshot.TakeAsync(http).GetAwaiter().GetResult().RemoveSinceAsync(http, store).GetAwaiter().GetResult();
            var left = ApiSnapshot.TakeAsync(http).GetAwaiter().GetResult().Since(store);
            try
            {
                Poll.Until(() => KernelSnapshot.Take(daemon.Netns, daemon.ExecRoot).Differences(kernel).Count == 0, TimeSpan.FromSeconds(10), "the kernel to be as before", TimeSpan.FromMilliseconds(200));
            }
            catch (TimeoutException)
            {
                // Counted below as leftovers, each one named.
            }

            var kernelLeft = KernelSnapshot.Take(daemon.Netns, daemon.ExecRoot).Differences(kernel);
            foreach (string leftover in stuck.Concat(left).Concat(kernelLeft))
            {
                log.WriteLine("leftover: " + leftover);
            }

            result.Add("requests", round.Requests);
            result.Add("status5xx", round.Status5xx);
            result.Add("slowest_ms", round.SlowestMs);
            result.Add("hangs", round.Hangs);
            result.Add("leftovers", stuck.Count + left.Count + kernelLeft.Count);
            result.Add("rss_growth_mb", Math.Round(rssAfter - rssBefore, 1));
            result.Add("seed", seed);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
