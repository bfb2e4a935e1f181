using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;

namespace Berth.Core.Addressing;

/// <summary>
/// An address with a prefix length, such as an interface address <c>10.0.0.5/24</c>. Unlike
/// <see cref="IPNetwork"/> the host bits may be set; <see cref="Network"/> gives the masked form.
/// </summary>
public readonly record struct IPPrefix
{
    public IPPrefix(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        int max = MaxPrefixLength(address.AddressFamily);
        if (prefixLength < 0 || prefixLength > max)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"prefix length {prefixLength} is out of range for {address}; use 0 to {max}");
        }

        Address = address;
        PrefixLength = prefixLength;
    }

    public IPAddress Address { get; }

    public int PrefixLength { get; }

    public AddressFamily Family => Address.AddressFamily;

    public bool IsIPv4 => Address.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>The network this address lies in, host bits cleared.</summary>
    public IPNetwork Network => new(Mask(Address, PrefixLength), PrefixLength);

    public bool Contains(IPAddress address) => Network.Contains(address);

    public static IPPrefix Parse(string text)
    {
        if (TryParse(text, out var prefix))
        {
            return prefix;
        }

        throw new BerthException(ErrorKind.InvalidArgument,
            $"\"{text}\" is not an address with a prefix length (expected e.g. 10.0.0.5/24 or fd00::5/64)");
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out IPPrefix prefix)
    {
        prefix = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out int length)
            || length > MaxPrefixLength(address.AddressFamily))
        {
            return false;
        }

        prefix = new IPPrefix(address, length);
        return true;
    }

    public override string ToString() => $"{Address}/{PrefixLength}";

    public static int MaxPrefixLength(AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? 128 : 32;

    private static IPAddress Mask(IPAddress address, int prefixLength)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        bytes = bytes[..written];
        for (int i = 0; i < bytes.Length; i++)
        {
            int bitsHere = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bitsHere));
        }

        return new IPAddress(bytes);
    }
}
