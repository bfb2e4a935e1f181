using System.Globalization;
using Berth.Core.Errors;

namespace Berth.Network.Drivers;

/// <summary>Parsing and checking of driver options (string values, as Docker sends them).</summary>
internal static class DriverOptions
{
    /// <summary>Every option not in <paramref name="known"/> is a problem: an unknown option is an error, never ignored.</summary>
    public static void RejectUnknown(string driver, IReadOnlyDictionary<string, string> options, IReadOnlyCollection<string> known, List<string> problems)
    {
        foreach (string key in options.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal))
        {
            problems.Add($"unknown option \"{key}\" for the {driver} driver; known options: {string.Join(", ", known)}");
        }
    }

    /// <summary>Docker's boolean parsing (strconv.ParseBool): 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False.</summary>
    public static bool Bool(IReadOnlyDictionary<string, string> options, string key, bool fallback, List<string> problems)
    {
        if (!options.TryGetValue(key, out string? text))
        {
            return fallback;
        }

        switch (text)
        {
            case "1" or "t" or "T" or "true" or "TRUE" or "True":
                return true;
            case "0" or "f" or "F" or "false" or "FALSE" or "False":
                return false;
            default:
                problems.Add($"option {key}=\"{text}\" is not a boolean; use true or false");
                return fallback;
        }
    }

    public static int? Int(IReadOnlyDictionary<string, string> options, string key, int min, int max, List<string> problems)
    {
        if (!options.TryGetValue(key, out string? text))
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            problems.Add($"option {key}=\"{text}\" must be a whole number from {min} to {max}");
            return null;
        }

        return value;
    }

    public static void ThrowIfAny(string network, List<string> problems, ErrorKind kind = ErrorKind.InvalidArgument)
    {
        if (problems.Count > 0)
        {
            throw new BerthException(kind, $"network \"{network}\": {string.Join("; ", problems)}");
        }
    }
}
