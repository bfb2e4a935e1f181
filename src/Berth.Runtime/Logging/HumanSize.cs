using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Runtime.Logging;

/// <summary>
/// Sizes as Docker's go-units reads them: a number (a fraction allowed), an optional space, an optional unit letter
/// k m g t p (any case), then an optional <c>i</c> and <c>b</c>: <c>10m</c>, <c>1.5 KB</c>, <c>20MiB</c>. <c>FromHumanSize</c>
/// counts in thousands (<see cref="Decimal"/>), <c>RAMInBytes</c> in 1024s (<see cref="Binary"/>).
/// </summary>
public static partial class HumanSize
{
    public const int Decimal = 1000;
    public const int Binary = 1024;

    private const string Units = "kmgtp";

    /// <summary>The size in bytes; null when the text is not a size.</summary>
    public static long? Parse(string text, int unitBase)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = SizePattern().Match(text);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
        {
            return null;
        }

        string unit = match.Groups[2].Value.ToLowerInvariant();
        double multiplier = unit.Length == 0 ? 1 : Math.Pow(unitBase, Units.IndexOf(unit[0], StringComparison.Ordinal) + 1);
        return (long)(value * multiplier);
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
