using System.Buffers.Binary;

namespace Berth.Network.Overlay.Sealed;

/// <summary>
/// The wire format of a sealed overlay datagram (UDP payload, version 1; docs/encrypted-overlay.md):
/// <code>
///  0      type (1 = sealed frame chunk)
///  1      key generation, low 8 bits
///  2      chunk index
///  3      chunk count (1 to 64)
///  4–7    VNI, big-endian, top byte 0
///  8–15   sender session id, big-endian
///  16–23  counter, big-endian
///  24…    AES-256-GCM ciphertext of the chunk, then the 16-byte tag
/// </code>
/// The whole 24-byte header is the AEAD's associated data, so none of it can be changed unnoticed.
/// </summary>
public static class SealedHeader
{
    /// <summary>Bytes of the header, all of it associated data.</summary>
    public const int Size = 24;

    /// <summary>Bytes of the AES-GCM authentication tag after the ciphertext (the full 128-bit tag).</summary>
    public const int TagSize = 16;

    /// <summary>Byte 0 of a datagram carrying one chunk of a sealed frame.</summary>
    public const byte TypeFrameChunk = 1;

    /// <summary>At most this many chunks per frame: a 64 KiB super-frame in datagrams of at least ~1 KiB.</summary>
    public const int MaxChunks = 64;

    /// <summary>Bytes of the <c>virtio_net_hdr</c> (linux/virtio_net.h, without num_buffers) before each frame read from a TAP with IFF_VNET_HDR.</summary>
    public const int VnetHeaderSize = 10;

    /// <summary>Bytes a datagram carries beyond its chunk of plaintext: header and tag.</summary>
    public const int Overhead = Size + TagSize;

    /// <summary>
    /// Where the low 32 bits of the session id lie in a datagram: the word the kernel steers by, so all of one
    /// session's datagrams reach the same receiving thread (<see cref="LaneOf"/>).
    /// </summary>
    public const int SteeringWordOffset = SessionOffset + 4;

    /// <summary>The largest VNI: 24 bits (RFC 7348 §5).</summary>
    internal const uint MaxVni = 0xFF_FFFF;

    private const int TypeOffset = 0;
    private const int GenerationOffset = 1;
    private const int IndexOffset = 2;
    private const int CountOffset = 3;
    private const int VniOffset = 4;
    private const int SessionOffset = 8;
    private const int CounterOffset = 16;

    /// <summary>Writes the 24-byte header at the start of <paramref name="destination"/>.</summary>
    public static void Write(Span<byte> destination, byte generation, byte index, byte count, uint vni, ulong session, ulong counter)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"a sealed header needs {Size} bytes; the destination has {destination.Length}", nameof(destination));
        }

        if (count is 0 or > MaxChunks || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"chunk {index} of {count}: the count must be 1 to {MaxChunks} and the index below it");
        }

        if (vni > MaxVni)
        {
            throw new ArgumentOutOfRangeException(nameof(vni), $"VNI {vni} does not fit in 24 bits");
        }

        destination[TypeOffset] = TypeFrameChunk;
        destination[GenerationOffset] = generation;
        destination[IndexOffset] = index;
        destination[CountOffset] = count;
        BinaryPrimitives.WriteUInt32BigEndian(destination[VniOffset..], vni);
        BinaryPrimitives.WriteUInt64BigEndian(destination[SessionOffset..], session);
        BinaryPrimitives.WriteUInt64BigEndian(destination[CounterOffset..], counter);
    }

    /// <summary>Which of <paramref name="lanes"/> receiving threads opens the datagrams of <paramref name="session"/>: its low 32 bits modulo the lanes.</summary>
    public static int LaneOf(ulong session, int lanes) => (int)((uint)session % (uint)lanes);

    /// <summary>A session id made from <paramref name="random"/> whose <see cref="LaneOf"/> over <paramref name="lanes"/> is <paramref name="lane"/>.</summary>
    public static ulong SessionIn(ulong random, int lane, int lanes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(lane);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(lane, lanes);
        ulong low = (uint)random;
        low = low - (low % (uint)lanes) + (uint)lane;
        if (low > uint.MaxValue)
        {
            low -= (uint)lanes;
        }

        return (random & 0xFFFF_FFFF_0000_0000UL) | low;
    }

    /// <summary>
    /// Reads the header of a datagram; false when it cannot be a sealed chunk: shorter than header and tag,
    /// another type, a count of 0 or above <see cref="MaxChunks"/>, an index not below the count, a VNI above 24 bits.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out SealedChunkHeader header)
    {
        header = default;
        if (datagram.Length < Overhead || datagram[TypeOffset] != TypeFrameChunk)
        {
            return false;
        }

        var index = datagram[IndexOffset];
        var count = datagram[CountOffset];
        var vni = BinaryPrimitives.ReadUInt32BigEndian(datagram[VniOffset..]);
        if (count is 0 or > MaxChunks || index >= count || vni > MaxVni)
        {
            return false;
        }

        header = new SealedChunkHeader(
            datagram[GenerationOffset],
            index,
            count,
            vni,
            BinaryPrimitives.ReadUInt64BigEndian(datagram[SessionOffset..]),
            BinaryPrimitives.ReadUInt64BigEndian(datagram[CounterOffset..]));
        return true;
    }
}
