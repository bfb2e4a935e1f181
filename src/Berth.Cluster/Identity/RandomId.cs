using System.Security.Cryptography;
using Berth.Core.Errors;

namespace Berth.Cluster.Identity;

/// <summary>
/// swarmkit's <c>identity.NewID</c> scheme: 17 random bytes with the top bit set (so the base 36 text always has
/// the same length), written in base 36, and the 25 digits after the first kept — about 129 random bits.
/// </summary>
internal static class RandomId
{
    public const int Length = 25;

    private const int EntropyBytes = 17;

    // 2^135 ≤ n < 2^136 is always 27 base 36 digits (36^26 < 2^135 and 2^136 < 36^27).
    private const int FullDigits = 27;

    public static string New()
    {
        Span<byte> entropy = stackalloc byte[EntropyBytes];
        RandomNumberGenerator.Fill(entropy);
        entropy[0] |= 0x80;

        // The first digit is skewed by the top bit; the 25 after it are uniform enough for an id.
        return Base36.Encode(entropy, FullDigits).Substring(1, Length);
    }

    public static bool IsValid(string? value) => value is { Length: Length } && Base36.IsDigits(value);

    /// <summary><paramref name="value"/> when it is an id, else InvalidArgument naming <paramref name="what"/> ("node id").</summary>
    public static string Require(string value, string what) =>
        IsValid(value) ? value : throw new BerthException(ErrorKind.InvalidArgument, $"\"{value}\" is not a {what} ({Length} lowercase letters and digits)");
}
