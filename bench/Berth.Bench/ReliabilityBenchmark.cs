namespace Berth.Bench;

/// <summary>
/// Issue 20's report (`bench/run.sh reliability`): the API fuzzer for <paramref name="minutes"/> (<see cref="FuzzBenchmark"/>);
/// the same 50-client concurrent load on berthd and on Docker 20.10 in the same run, with <c>/_ping</c>'s p50/p99 during
/// it (<see cref="ConcurrencyRound"/>); and the crash and chaos suites of the end-to-end tests, run as they are in CI
/// (crash points tried, inconsistencies found; chaos scenarios and their recovery times) — one source for each.
/// <paramref name="only"/> names one part to run (fuzz, concurrency, crashes, chaos); null runs them all.
/// </summary>
internal sealed partial class ReliabilityBenchmark(double minutes, string? only, TextWriter log)
{
    /// <summary>The target: <c>/_ping</c> p99 under the concurrent load.</summary>
    private const double PingP99TargetMs = 50;

    public void Run(BenchResult result)
    {
        Part(result, "fuzz", part => new FuzzBenchmark(minutes, log).Run(part));
        Part(result, "concurrency", Concurrency);
        Part(result, "crashes", Crashes);
        Part(result, "chaos", Chaos);
    }

    private void Part(BenchResult result, string name, Action<BenchResult> run)
    {
        if (only is null || only == name)
        {
            var part = new BenchResult();
            run(part);
            result.Add(name, part);
        }
    }
}
