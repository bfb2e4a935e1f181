namespace Berth.Bench;

/// <summary>Order statistics over a set of timings in milliseconds.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyList<double> values) => Percentile(values, 50);

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        int rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return Round(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)]);
    }

    public static double Round(double value) => Math.Round(value, 3);
}
