using System.Buffers.Binary;

namespace Berth.Linux.Netlink;

/// <summary>Iterates the attributes in a span: <c>foreach (var attr in new NetlinkAttributeReader(span))</c>.</summary>
public ref struct NetlinkAttributeReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes)
    {
        _remaining = attributes;
        Current = default;
    }

    public NetlinkAttribute Current { get; private set; }

    public readonly NetlinkAttributeReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining.Length < NetlinkAlignment.AttributeHeaderSize)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16LittleEndian(_remaining);
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(_remaining[2..]);
        if (length < NetlinkAlignment.AttributeHeaderSize || length > _remaining.Length)
        {
            // Malformed: stop rather than read past the message.
            _remaining = default;
            return false;
        }

        Current = new NetlinkAttribute(type, _remaining[NetlinkAlignment.AttributeHeaderSize..length]);
        int advance = Math.Min(NetlinkAlignment.Align(length), _remaining.Length);
        _remaining = _remaining[advance..];
        return true;
    }
}
