namespace Berth.Bench;

/// <summary>Measurements of several ways to one place, taken in turns.</summary>
internal static class AlternatingRounds
{
    /// <summary>
    /// <paramref name="rounds"/> rounds of every way, each round starting with the next way: a machine whose load drifts
    /// favours none. <paramref name="report"/> sees each measurement as it is taken (round numbers from 1).
    /// </summary>
    public static Dictionary<TWay, List<T>> Run<TWay, T>(IReadOnlyList<TWay> ways, int rounds, Func<TWay, T> measure, Action<int, TWay, T> report)
        where TWay : notnull
    {
        var results = ways.ToDictionary(w => w, _ => new List<T>(rounds));
        for (int i = 0; i < rounds; i++)
        {
            for (int j = 0; j < ways.Count; j++)
            {
                var way = ways[(i + j) % ways.Count];
                var result = measure(way);
                results[way].Add(result);
                report(i + 1, way, result);
            }
        }

        return results;
    }
}
