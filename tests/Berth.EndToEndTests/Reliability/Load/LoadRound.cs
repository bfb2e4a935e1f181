namespace Berth.Load;

/// <summary>
/// What a <see cref="ConcurrentLoad"/> round did: operations by kind, every unexpected answer (a 5xx, or a create that
/// did not answer 201), every <c>/_ping</c> time in milliseconds (sorted), and whether every client ended in time.
/// </summary>
public sealed record LoadRound(IReadOnlyDictionary<string, int> Operations, IReadOnlyList<string> Failures, IReadOnlyList<double> PingsMs, bool Ended)
{
    public int OperationCount => Operations.Values.Sum();

    public double PingP50 => Percentile(0.50);

    public double PingP99 => Percentile(0.99);

    public double PingMax => PingsMs.Count == 0 ? 0 : PingsMs[^1];

    private double Percentile(double p) => PingsMs.Count == 0 ? 0 : PingsMs[(int)Math.Ceiling(PingsMs.Count * p) - 1];

    /// <summary>The failures grouped by kind (operation, and 5xx or not), one example each.</summary>
    public string FailureSummary() => string.Join("\n", Failures
        .GroupBy(f => f.Split(':')[0].Split(' ')[0] + (f.Contains(": 5", StringComparison.Ordinal) ? " 5xx" : ""))
        .Select(g => $"{g.Count()} × {g.First()}"));
}
