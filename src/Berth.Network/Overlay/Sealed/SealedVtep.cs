using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// A node's tunnel address as the data path uses it: the raw bytes (what the key derivation binds and the socket sends
/// to) and a 128-bit key (IPv4 as an IPv4-mapped IPv6 address) that looks a sender up without allocating.
/// </summary>
internal sealed record SealedVtep(IPAddress Address, ImmutableArray<byte> Bytes, UInt128 Key)
{
    public static SealedVtep Of(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        return new SealedVtep(address, [.. bytes], KeyOf(bytes));
    }

    /// <summary>4 or 16 address bytes as a 128-bit key; IPv4 mapped into IPv6 (::ffff:a.b.c.d).</summary>
    public static UInt128 KeyOf(ReadOnlySpan<byte> address) => address.Length switch
    {
        4 => new UInt128(0, 0xFFFF_0000_0000UL | BinaryPrimitives.ReadUInt32BigEndian(address)),
        16 => BinaryPrimitives.ReadUInt128BigEndian(address),
        _ => UInt128.Zero,
    };

    /// <summary>IPv4 20 or IPv6 40, and UDP 8: what the underlay adds to a sealed datagram.</summary>
    public int UnderlayHeaders => Address.AddressFamily == AddressFamily.InterNetworkV6 ? 48 : 28;
}
