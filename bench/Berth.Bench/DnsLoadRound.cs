namespace Berth.Bench;

/// <summary>One round of DNS load: answers per second, latency percentiles in ms, and the counts behind them.</summary>
internal sealed record DnsLoadRound(double Qps, double P50Ms, double P99Ms, long Answered, long Failed, long Lost);
