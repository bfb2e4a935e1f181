using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Linux.Netlink;

/// <summary>
/// Builds one or more netlink messages into a single buffer: header, family struct, attributes
/// (nested, 4-byte aligned). Several messages in one buffer are sent by one sendmsg (pipelining).
/// Not thread-safe; one writer per request.
/// </summary>
public sealed class NetlinkMessageWriter
{
    private const int InitialCapacity = 512;

    private byte[] _buffer = new byte[InitialCapacity];
    private int _length;
    private int _messageStart = -1;
    private readonly List<uint> _sequences = [];

    /// <summary>The bytes written so far (complete messages only once <see cref="EndMessage"/> was called).</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    /// <summary>Sequence numbers of the messages in this buffer, in order.</summary>
    public IReadOnlyList<uint> Sequences => _sequences;

    public int MessageCount => _sequences.Count;

    public void Reset()
    {
        _length = 0;
        _messageStart = -1;
        _sequences.Clear();
    }

    public void BeginMessage(NetlinkMessageType type, NetlinkFlags flags, uint sequence)
    {
        if (_messageStart >= 0)
        {
            throw new InvalidOperationException("the previous netlink message was not ended");
        }

        _messageStart = _length;
        var header = new NetlinkHeader
        {
            Length = 0, // set by EndMessage
            Type = (ushort)type,
            Flags = (ushort)(flags | NetlinkFlags.Request),
            Sequence = sequence,
            PortId = 0,
        };
        WriteStruct(header);
        _sequences.Add(sequence);
    }

    public void EndMessage()
    {
        if (_messageStart < 0)
        {
            throw new InvalidOperationException("no netlink message was begun");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_messageStart), (uint)(_length - _messageStart));
        _messageStart = -1;
    }

    /// <summary>Writes a fixed family header (ifinfomsg, ifaddrmsg, rtmsg, ndmsg), padded to alignment.</summary>
    public void WriteStruct<T>(in T value)
        where T : unmanaged
    {
        int size = Marshal.SizeOf<T>();
        var span = Reserve(NetlinkAlignment.Align(size));
        MemoryMarshal.Write(span, in value);
    }

    public void WriteAttribute(ushort type, ReadOnlySpan<byte> payload)
    {
        int length = NetlinkAlignment.AttributeHeaderSize + payload.Length;
        var span = Reserve(NetlinkAlignment.Align(length));
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        payload.CopyTo(span[NetlinkAlignment.AttributeHeaderSize..]);
    }

    public void WriteFlag(ushort type) => WriteAttribute(type, []);

    public void WriteU8(ushort type, byte value) => WriteAttribute(type, [value]);

    public void WriteU16(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        WriteAttribute(type, bytes);
    }

    /// <summary>A 16-bit value in network byte order (e.g. IFLA_VXLAN_PORT).</summary>
    public void WriteU16BigEndian(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        WriteAttribute(type, bytes);
    }

    public void WriteU32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        WriteAttribute(type, bytes);
    }

    public void WriteS32(ushort type, int value) => WriteU32(type, unchecked((uint)value));

    /// <summary>A NUL-terminated string attribute (NLA_NUL_STRING / NLA_STRING).</summary>
    public void WriteString(ushort type, string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        Span<byte> bytes = count < 256 ? stackalloc byte[count + 1] : new byte[count + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        bytes[count] = 0;
        WriteAttribute(type, bytes);
    }

    public void WriteAddress(ushort type, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        WriteAttribute(type, bytes[..written]);
    }

    /// <summary>Starts a nested attribute; everything written until <see cref="EndNested"/> is inside it.</summary>
    public NestedAttribute BeginNested(ushort type)
    {
        int start = _length;
        var span = Reserve(NetlinkAlignment.AttributeHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)(type | NetlinkAlignment.NestedFlag));
        return new NestedAttribute(start);
    }

    public void EndNested(NestedAttribute nested)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(nested.Start), (ushort)(_length - nested.Start));
    }

    /// <summary>Starts an attribute whose payload is a struct followed by attributes (VETH_INFO_PEER).</summary>
    public NestedAttribute BeginEmbedded(ushort type)
    {
        int start = _length;
        var span = Reserve(NetlinkAlignment.AttributeHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        return new NestedAttribute(start);
    }

    private Span<byte> Reserve(int size)
    {
        if (_length + size > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + size));
        }

        var span = _buffer.AsSpan(_length, size);
        span.Clear();
        _length += size;
        return span;
    }

    /// <summary>A position in the buffer where a nested attribute starts.</summary>
    public readonly record struct NestedAttribute(int Start);
}
