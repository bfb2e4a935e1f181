using System.Numerics;

namespace Berth.Cluster.Identity;

/// <summary>
/// Base 36 with lowercase digits (<c>0-9a-z</c>), the alphabet of swarmkit's ids and join tokens (Go's
/// <c>big.Int.Text(36)</c>): unsigned big-endian numbers, left-padded with zeros to a fixed width.
/// </summary>
internal static class Base36
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static readonly BigInteger Radix = new(Digits.Length);

    public static string Encode(ReadOnlySpan<byte> bigEndian, int width) =>
        Encode(new BigInteger(bigEndian, isUnsigned: true, isBigEndian: true), width);

    public static string Encode(BigInteger value, int width)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "base 36 encodes unsigned numbers only");
        }

        var digits = new Stack<char>();
        while (!value.IsZero)
        {
            value = BigInteger.DivRem(value, Radix, out BigInteger remainder);
            digits.Push(Digits[(int)remainder]);
        }

        string text = new(digits.ToArray());
        if (text.Length > width)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"the number needs {text.Length} base 36 digits, more than {width}");
        }

        return text.PadLeft(width, '0');
    }

    /// <summary>False when <paramref name="text"/> is empty or holds anything but lowercase base 36 digits.</summary>
    public static bool TryDecode(string text, out BigInteger value)
    {
        value = BigInteger.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (char c in text)
        {
            int digit = Digits.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            value = (value * Radix) + digit;
        }

        return true;
    }

    public static bool IsDigits(string? text) => !string.IsNullOrEmpty(text) && text.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c));
}
