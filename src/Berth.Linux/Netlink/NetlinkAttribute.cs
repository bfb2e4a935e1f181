using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Berth.Linux.Netlink;

/// <summary>One attribute of a received message: its type (flags stripped) and payload.</summary>
public readonly ref struct NetlinkAttribute
{
    public NetlinkAttribute(ushort type, ReadOnlySpan<byte> payload)
    {
        Type = (ushort)(type & NetlinkAlignment.TypeMask);
        Payload = payload;
    }

    public ushort Type { get; }

    public ReadOnlySpan<byte> Payload { get; }

    public byte U8 => Payload[0];

    public ushort U16 => BinaryPrimitives.ReadUInt16LittleEndian(Payload);

    public ushort U16BigEndian => BinaryPrimitives.ReadUInt16BigEndian(Payload);

    public uint U32 => BinaryPrimitives.ReadUInt32LittleEndian(Payload);

    public int S32 => BinaryPrimitives.ReadInt32LittleEndian(Payload);

    /// <summary>The payload as a string, up to the first NUL.</summary>
    public string String
    {
        get
        {
            int end = Payload.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end >= 0 ? Payload[..end] : Payload);
        }
    }

    public IPAddress Address => new(Payload);

    public NetlinkAttributeReader Nested => new(Payload);
}
