using System.Globalization;
using System.Security.Cryptography;

namespace Berth.Runtime.Engine.Naming;

/// <summary>
/// Names for containers created without <c>--name</c>: a random <c>adjective_surname</c> pair from
/// <see cref="ContainerNameWords"/>; after <see cref="PlainAttempts"/> collisions a random number is
/// appended (as Docker does: <c>eager_curie7</c>), with more digits at each round. It always ends:
/// the last resort counts up from 1 on one pair, and only finitely many names can be taken.
/// </summary>
public static class ContainerNameGenerator
{
    /// <summary>Plain pairs tried before a suffix is added.</summary>
    public const int PlainAttempts = 3;

    /// <summary>Suffixed names tried per number of digits (1 to <see cref="MaxSuffixDigits"/>).</summary>
    private const int AttemptsPerDigitCount = 3;

    private const int MaxSuffixDigits = 6;

    /// <summary>A name for which <paramref name="isTaken"/> is false.</summary>
    public static string Generate(Func<string, bool> isTaken)
    {
        ArgumentNullException.ThrowIfNull(isTaken);
        string pair = RandomPair();
        for (int attempt = 0; attempt < PlainAttempts; attempt++, pair = RandomPair())
        {
            if (!isTaken(pair))
            {
                return pair;
            }
        }

        int limit = 1;
        for (int digits = 1; digits <= MaxSuffixDigits; digits++)
        {
            limit *= 10;
            for (int attempt = 0; attempt < AttemptsPerDigitCount; attempt++)
            {
                string name = RandomPair() + RandomNumberGenerator.GetInt32(limit).ToString(CultureInfo.InvariantCulture);
                if (!isTaken(name))
                {
                    return name;
                }
            }
        }

        for (long n = 1; ; n++)
        {
            string name = pair + n.ToString(CultureInfo.InvariantCulture);
            if (!isTaken(name))
            {
                return name;
            }
        }
    }

    private static string RandomPair() =>
        ContainerNameWords.Adjectives[RandomNumberGenerator.GetInt32(ContainerNameWords.Adjectives.Length)] + "_"
        + ContainerNameWords.Surnames[RandomNumberGenerator.GetInt32(ContainerNameWords.Surnames.Length)];
}
