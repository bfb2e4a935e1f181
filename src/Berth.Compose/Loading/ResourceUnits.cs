using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Compose.Loading;

/// <summary>The units of <c>deploy.resources</c>: CPUs as docker's <c>opts.ParseCPUs</c>, memory as go-units' <c>RAMInBytes</c>.</summary>
internal static partial class ResourceUnits
{
    private const decimal NanosPerCpu = 1_000_000_000m;

    /// <summary><c>0.5</c> → 500,000,000; anything finer than a billionth of a CPU is refused, as docker does.</summary>
    public static bool TryParseCpus(string text, out long nanoCpus)
    {
        nanoCpus = 0;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cpus))
        {
            return false;
        }

        var nanos = cpus * NanosPerCpu;
        if (nanos != decimal.Truncate(nanos) || nanos > long.MaxValue)
        {
            return false;
        }

        nanoCpus = (long)nanos;
        return true;
    }

    /// <summary><c>512M</c>, <c>1gb</c>, <c>1.5G</c>, <c>1024</c>: binary multiples (k is 1024), as <c>units.RAMInBytes</c>.</summary>
    public static bool TryParseBytes(string text, out long bytes)
    {
        bytes = 0;
        var match = RamPattern().Match(text);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var size))
        {
            return false;
        }

        var multiplier = match.Groups[2].Value.ToLowerInvariant() switch
        {
            "k" => 1L << 10,
            "m" => 1L << 20,
            "g" => 1L << 30,
            "t" => 1L << 40,
            "p" => 1L << 50,
            _ => 1L,
        };
        bytes = (long)(size * multiplier);
        return true;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$")]
    private static partial Regex RamPattern();
}
