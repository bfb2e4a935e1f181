namespace Berth.Linux.Netlink;

/// <summary>A received netlink message: header fields and the payload after the header.</summary>
public readonly ref struct NetlinkMessage
{
    public NetlinkMessage(NetlinkMessageType type, NetlinkFlags flags, uint sequence, uint portId, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        PortId = portId;
        Payload = payload;
    }

    public NetlinkMessageType Type { get; }

    public NetlinkFlags Flags { get; }

    public uint Sequence { get; }

    public uint PortId { get; }

    /// <summary>Family header followed by attributes.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>The attributes after a family header of <paramref name="headerSize"/> bytes.</summary>
    public NetlinkAttributeReader Attributes(int headerSize) =>
        new(Payload.Length > NetlinkAlignment.Align(headerSize) ? Payload[NetlinkAlignment.Align(headerSize)..] : default);
}
