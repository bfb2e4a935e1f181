namespace Berth.Fuzzing;

/// <summary>What a round of the fuzzer saw: every failure names the request that broke an invariant.</summary>
/// <paramref name="Statuses"/>: how many answers each status had, to see that valid requests got through too.
public sealed record FuzzRound(long Seed, int Requests, int Status5xx, int Hangs, double SlowestMs, string Slowest, IReadOnlyList<string> Failures, IReadOnlyDictionary<int, int> Statuses)
{
    /// <summary>The requests that succeeded (2xx), by route: what the fuzzer really exercised beyond validation.</summary>
    public required IReadOnlyDictionary<string, int> SucceededByRoute { get; init; }
}
