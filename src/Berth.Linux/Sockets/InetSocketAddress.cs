using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Linux.Sockets;

/// <summary>
/// <c>struct sockaddr_in</c> / <c>sockaddr_in6</c> (netinet/in.h) written and read in place, without
/// <see cref="IPAddress"/> objects: family (host order), port (network order), then the address at 4
/// (IPv4) or, after the flow label, at 8 (IPv6), then the IPv6 scope id.
/// </summary>
internal static class InetSocketAddress
{
    /// <summary><c>sizeof(struct sockaddr_in6)</c>: room for either family.</summary>
    public const int MaxBytes = 28;

    public const int V4Bytes = 16;

    private const int PortOffset = 2;
    private const int V4AddressOffset = 4;
    private const int V6AddressOffset = 8;
    private const int V6ScopeOffset = 24;
    private const int V4AddressBytes = 4;
    private const int V6AddressBytes = 16;

    /// <summary>AF_INET or AF_INET6 for <paramref name="address"/>; InvalidArgument for anything else.</summary>
    public static int FamilyOf(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => Libc.AF_INET,
        AddressFamily.InterNetworkV6 => Libc.AF_INET6,
        _ => throw new BerthException(ErrorKind.InvalidArgument, $"address {address} is neither IPv4 nor IPv6"),
    };

    /// <summary>How many address bytes a family takes (4 or 16).</summary>
    public static int AddressBytesOf(int family) => family == Libc.AF_INET ? V4AddressBytes : V6AddressBytes;

    /// <summary>Writes the socket address of <paramref name="address"/> (4 or 16 bytes) and port; returns its length.</summary>
    public static int Write(Span<byte> destination, int family, ReadOnlySpan<byte> address, ushort port, uint scopeId = 0)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)family);
        BinaryPrimitives.WriteUInt16BigEndian(destination[PortOffset..], port);
        if (family == Libc.AF_INET)
        {
            destination[V4AddressOffset..V4Bytes].Clear();
            address.CopyTo(destination[V4AddressOffset..]);
            return V4Bytes;
        }

        destination[V4AddressOffset..V6AddressOffset].Clear(); // flow label
        address.CopyTo(destination[V6AddressOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[V6ScopeOffset..], scopeId);
        return MaxBytes;
    }

    /// <summary>The raw address bytes (4 or 16) of a socket address the kernel filled in.</summary>
    public static ReadOnlySpan<byte> Address(ReadOnlySpan<byte> socketAddress) =>
        BinaryPrimitives.ReadUInt16LittleEndian(socketAddress) == Libc.AF_INET
            ? socketAddress.Slice(V4AddressOffset, V4AddressBytes)
            : socketAddress.Slice(V6AddressOffset, V6AddressBytes);

    public static ushort Port(ReadOnlySpan<byte> socketAddress) => BinaryPrimitives.ReadUInt16BigEndian(socketAddress[PortOffset..]);
}
