using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Core.Addressing;
using Berth.Linux.Netlink;

namespace Berth.Linux.Addresses;

/// <summary>Encodes and decodes RTM_*ADDR messages.</summary>
internal static class AddressMessages
{
    internal static void WriteAdd(NetlinkMessageWriter writer, uint sequence, int linkIndex, IPPrefix address, AddressFlags flags)
    {
        writer.BeginMessage(NetlinkMessageType.NewAddress, NetlinkFlags.Ack | NetlinkFlags.Create | NetlinkFlags.Exclusive, sequence);
        WriteBody(writer, linkIndex, address, flags);
        if (address.IsIPv4 && address.PrefixLength < 31)
        {
            writer.WriteAddress(AddressAttributes.Broadcast, Broadcast(address));
        }

        writer.EndMessage();
    }

    internal static void WriteDelete(NetlinkMessageWriter writer, uint sequence, int linkIndex, IPPrefix address)
    {
        writer.BeginMessage(NetlinkMessageType.DelAddress, NetlinkFlags.Ack, sequence);
        WriteBody(writer, linkIndex, address, AddressFlags.None);
        writer.EndMessage();
    }

    internal static void WriteDump(NetlinkMessageWriter writer, uint sequence, AddressFamily? family)
    {
        writer.BeginMessage(NetlinkMessageType.GetAddress, NetlinkFlags.Dump, sequence);
        writer.WriteStruct(new IfAddrMessage { Family = FamilyByte(family) });
        writer.EndMessage();
    }

    internal static bool TryParse(in NetlinkMessage message, out AddressInfo address)
    {
        address = null!;
        if (message.Type != NetlinkMessageType.NewAddress || message.Payload.Length < IfAddrMessage.Size)
        {
            return false;
        }

        var header = MemoryMarshal.Read<IfAddrMessage>(message.Payload);
        IPAddress? local = null, peer = null;
        string? label = null;
        uint flags = header.Flags;
        foreach (var attribute in message.Attributes(IfAddrMessage.Size))
        {
            switch (attribute.Type)
            {
                case AddressAttributes.Local:
                    local = attribute.Address;
                    break;
                case AddressAttributes.Address:
                    peer = attribute.Address;
                    break;
                case AddressAttributes.Label:
                    label = attribute.String;
                    break;
                case AddressAttributes.Flags:
                    flags = attribute.U32;
                    break;
            }
        }

        // IPv4 reports IFA_LOCAL (and IFA_ADDRESS = peer or the same); IPv6 reports only IFA_ADDRESS.
        var ip = local ?? peer;
        if (ip is null)
        {
            return false;
        }

        address = new AddressInfo((int)header.Index, new IPPrefix(ip, header.PrefixLength), (AddressScope)header.Scope, (AddressFlags)flags, label);
        return true;
    }

    private static void WriteBody(NetlinkMessageWriter writer, int linkIndex, IPPrefix address, AddressFlags flags)
    {
        writer.WriteStruct(new IfAddrMessage
        {
            Family = FamilyByte(address.Family),
            PrefixLength = (byte)address.PrefixLength,
            Flags = (byte)((uint)flags & 0xFF),
            Index = (uint)linkIndex,
        });
        if (address.IsIPv4)
        {
            writer.WriteAddress(AddressAttributes.Local, address.Address);
        }

        writer.WriteAddress(AddressAttributes.Address, address.Address);
        if ((uint)flags > 0xFF)
        {
            writer.WriteU32(AddressAttributes.Flags, (uint)flags);
        }
    }

    internal static byte FamilyByte(AddressFamily? family) => family switch
    {
        AddressFamily.InterNetwork => 2,    // AF_INET
        AddressFamily.InterNetworkV6 => 10, // AF_INET6
        _ => 0,                             // AF_UNSPEC
    };

    private static IPAddress Broadcast(IPPrefix prefix)
    {
        Span<byte> bytes = stackalloc byte[4];
        prefix.Address.TryWriteBytes(bytes, out _);
        uint value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
        uint host = prefix.PrefixLength == 0 ? uint.MaxValue : (1u << (32 - prefix.PrefixLength)) - 1;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value | host);
        return new IPAddress(bytes);
    }
}
