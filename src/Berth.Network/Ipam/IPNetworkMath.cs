using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Ipam;

/// <summary>
/// Address arithmetic on <see cref="IPNetwork"/>s and <see cref="IPAddress"/>es, shared by IPAM and
/// the drivers. Addresses are handled as unsigned 128-bit integers (IPv4 in the low 32 bits);
/// networks of different families never overlap or contain each other.
/// </summary>
public static class IPNetworkMath
{
    public const int IPv4Bits = 32;
    public const int IPv6Bits = 128;

    /// <summary>The smallest IPv4 prefix length whose subnet still has a network and a broadcast address (RFC 3021 makes /31 point-to-point).</summary>
    public const int IPv4MaxPrefixWithBroadcast = 30;

    public static bool IsIPv4(IPNetwork network) => network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;

    public static int Bits(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? IPv6Bits : IPv4Bits;

    public static int Bits(IPNetwork network) => Bits(network.BaseAddress.AddressFamily);

    /// <summary>True when the two networks share at least one address (one contains the other).</summary>
    public static bool Overlaps(IPNetwork a, IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily
        && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    /// <summary>True when every address of <paramref name="inner"/> lies in <paramref name="outer"/>.</summary>
    public static bool Contains(IPNetwork outer, IPNetwork inner) =>
        outer.BaseAddress.AddressFamily == inner.BaseAddress.AddressFamily
        && outer.PrefixLength <= inner.PrefixLength
        && outer.Contains(inner.BaseAddress);

    /// <summary>True when <paramref name="address"/> lies in <paramref name="network"/> (false for another family).</summary>
    public static bool Contains(IPNetwork network, IPAddress address) =>
        network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address);

    /// <summary>How many addresses the network holds (2^(bits − prefix)); a whole IPv6 space is <see cref="UInt128.MaxValue"/> (one short).</summary>
    public static UInt128 AddressCount(IPNetwork network)
    {
        int hostBits = Bits(network) - network.PrefixLength;
        return hostBits >= IPv6Bits ? UInt128.MaxValue : UInt128.One << hostBits;
    }

    public static IPAddress FirstAddress(IPNetwork network) => network.BaseAddress;

    public static IPAddress LastAddress(IPNetwork network) =>
        FromNumber(ToNumber(network.BaseAddress) + HostMask(network), network.BaseAddress.AddressFamily);

    /// <summary>The IPv4 broadcast address (the last one), or null for IPv6 and for /31 and /32, which have none.</summary>
    public static IPAddress? Broadcast(IPNetwork network) =>
        IsIPv4(network) && network.PrefixLength <= IPv4MaxPrefixWithBroadcast ? LastAddress(network) : null;

    /// <summary>
    /// The first address a host may use: the one after the network address (<c>x.x.x.1</c>, <c>…::1</c>),
    /// or null when the subnet has no such address (/32, /128).
    /// </summary>
    public static IPAddress? FirstHostAddress(IPNetwork network) =>
        AddressCount(network) < 2 ? null : Add(network.BaseAddress, UInt128.One);

    /// <summary>The address <paramref name="offset"/> places after <paramref name="address"/>, wrapping within its family.</summary>
    public static IPAddress Add(IPAddress address, UInt128 offset) =>
        FromNumber(ToNumber(address) + offset, address.AddressFamily);

    /// <summary>The address as a number, big-endian (network order): 10.0.0.1 → 0x0A000001.</summary>
    public static UInt128 ToNumber(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written))
        {
            throw new ArgumentException($"{address} cannot be written as bytes", nameof(address));
        }

        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static IPAddress FromNumber(UInt128 value, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)(value & uint.MaxValue));
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, value);
        return new IPAddress(v6);
    }

    /// <summary>The host part of <paramref name="address"/> within <paramref name="network"/> (0 for the network address).</summary>
    public static UInt128 OffsetOf(IPNetwork network, IPAddress address) =>
        ToNumber(address) - ToNumber(network.BaseAddress);

    /// <summary>All ones in the host bits of the network.</summary>
    public static UInt128 HostMask(IPNetwork network)
    {
        int hostBits = Bits(network) - network.PrefixLength;
        return hostBits >= IPv6Bits ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
    }

    /// <summary>
    /// Parses CIDR text such as <c>10.0.0.0/24</c>. Unlike <see cref="IPNetwork.TryParse(string?, out IPNetwork)"/>
    /// it tells a malformed text (false) from one whose host bits are set (true, with
    /// <paramref name="hostBitsSet"/> and the masked <paramref name="network"/>), so callers can say
    /// "it should be 10.0.0.0/24".
    /// </summary>
    public static bool TryParseCidr([NotNullWhen(true)] string? text, out IPNetwork network, out bool hostBitsSet)
    {
        network = default;
        hostBitsSet = false;
        int slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash <= 0 || !IsStrictAddressText(text.AsSpan(0, slash))
            || !Berth.Core.Addressing.IPPrefix.TryParse(text, out var prefix))
        {
            return false;
        }

        network = prefix.Network;
        hostBitsSet = !network.BaseAddress.Equals(prefix.Address);
        return true;
    }

    /// <summary>
    /// Parses an address strictly: dotted-quad IPv4 or IPv6 text, no legacy forms (<c>10.1</c>),
    /// no scope ids, no spaces — the forms Docker (Go's netip) accepts.
    /// </summary>
    public static bool TryParseAddress([NotNullWhen(true)] string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        return text is not null && IsStrictAddressText(text) && IPAddress.TryParse(text, out address);
    }

    private static bool IsStrictAddressText(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.ContainsAny(' ', '%', '\t'))
        {
            return false;
        }

        return text.Contains(':') || text.Count('.') == 3;
    }
}
