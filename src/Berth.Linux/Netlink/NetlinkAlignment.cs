namespace Berth.Linux.Netlink;

internal static class NetlinkAlignment
{
    /// <summary>NLMSG_ALIGNTO and NLA_ALIGNTO: messages and attributes are padded to 4 bytes.</summary>
    internal const int AlignTo = 4;

    /// <summary>struct nlattr: u16 length + u16 type.</summary>
    internal const int AttributeHeaderSize = 4;

    /// <summary>NLA_F_NESTED: set on the type of a nested attribute.</summary>
    internal const ushort NestedFlag = 0x8000;

    /// <summary>NLA_F_NET_BYTEORDER.</summary>
    internal const ushort NetByteOrderFlag = 0x4000;

    internal const ushort TypeMask = 0x3FFF;

    internal static int Align(int length) => (length + AlignTo - 1) & ~(AlignTo - 1);
}
