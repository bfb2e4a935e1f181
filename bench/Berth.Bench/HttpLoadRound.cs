namespace Berth.Bench;

/// <summary>One round of HTTP load: requests answered per second within the round (one connection each), latencies in ms, and the counts behind them.</summary>
internal sealed record HttpLoadRound(double PerSecond, double P50Ms, double P99Ms, double MaxMs, long Answered, long Failed);
