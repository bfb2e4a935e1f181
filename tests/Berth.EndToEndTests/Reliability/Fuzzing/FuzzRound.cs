namespace Berth.Fuzzing;

/// <summary>What a round of the fuzzer saw: every failure names the request that broke an invariant.</summary>
public sealed record FuzzRound(long Seed, int Requests, int Status5xx, int Hangs, double SlowestMs, string Slowest, IReadOnlyList<string> Failures);
