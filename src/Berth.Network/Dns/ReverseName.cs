using System.Globalization;
using System.Net;

namespace Berth.Network.Dns;

/// <summary>Names of PTR queries: <c>d.c.b.a.in-addr.arpa</c> (RFC 1035 §3.5) and nibble <c>ip6.arpa</c> (RFC 3596 §2.5).</summary>
public static class ReverseName
{
    private const string IPv4Suffix = ".in-addr.arpa";
    private const string IPv6Suffix = ".ip6.arpa";
    private const int IPv4Octets = 4;
    private const int IPv6Nibbles = 32;

    public static bool TryParse(string name, out IPAddress? address)
    {
        address = null;
        string trimmed = name.TrimEnd('.');
        if (trimmed.EndsWith(IPv4Suffix, StringComparison.OrdinalIgnoreCase))
        {
            string[] octets = trimmed[..^IPv4Suffix.Length].Split('.');
            if (octets.Length != IPv4Octets)
            {
                return false;
            }

            var bytes = new byte[IPv4Octets];
            for (int i = 0; i < IPv4Octets; i++)
            {
                if (!byte.TryParse(octets[IPv4Octets - 1 - i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
                {
                    return false;
                }
            }

            address = new IPAddress(bytes);
            return true;
        }

        if (trimmed.EndsWith(IPv6Suffix, StringComparison.OrdinalIgnoreCase))
        {
            string[] nibbles = trimmed[..^IPv6Suffix.Length].Split('.');
            if (nibbles.Length != IPv6Nibbles)
            {
                return false;
            }

            var bytes = new byte[IPv6Nibbles / 2];
            for (int i = 0; i < IPv6Nibbles; i++)
            {
                if (nibbles[i].Length != 1 || !int.TryParse(nibbles[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int nibble))
                {
                    return false;
                }

                // Nibbles come least significant first: the last nibble of the name is the top of byte 0.
                int index = IPv6Nibbles - 1 - i;
                bytes[index / 2] |= (byte)(index % 2 == 0 ? nibble << 4 : nibble);
            }

            address = new IPAddress(bytes);
            return true;
        }

        return false;
    }

    public static string For(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        byte[] bytes = address.GetAddressBytes();
        if (bytes.Length == IPv4Octets)
        {
            return string.Join('.', bytes.Reverse()) + IPv4Suffix;
        }

        var nibbles = new List<string>(IPv6Nibbles);
        foreach (byte b in bytes.Reverse())
        {
            nibbles.Add((b & 0xF).ToString("x", CultureInfo.InvariantCulture));
            nibbles.Add((b >> 4).ToString("x", CultureInfo.InvariantCulture));
        }

        return string.Join('.', nibbles) + IPv6Suffix;
    }
}
