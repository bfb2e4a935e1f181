using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Linux.Addresses;
using Berth.Linux.Netlink;

namespace Berth.Linux.Neighbours;

/// <summary>Encodes and decodes RTM_*NEIGH messages, for the ARP/NDP caches and for bridge FDBs.</summary>
internal static class NeighbourMessages
{
    internal static void WriteNeighbour(NetlinkMessageWriter writer, NetlinkMessageType type, NetlinkFlags flags, uint sequence,
        int linkIndex, IPAddress address, PhysicalAddress? mac)
    {
        writer.BeginMessage(type, NetlinkFlags.Ack | flags, sequence);
        writer.WriteStruct(new NdMessage
        {
            Family = AddressMessages.FamilyByte(address.AddressFamily),
            Index = linkIndex,
            State = (ushort)NeighbourState.Permanent,
        });
        writer.WriteAddress(NeighbourAttributes.Destination, address);
        if (mac is not null)
        {
            writer.WriteAttribute(NeighbourAttributes.LinkLayerAddress, mac.GetAddressBytes());
        }

        writer.EndMessage();
    }

    internal static void WriteFdb(NetlinkMessageWriter writer, NetlinkMessageType type, NetlinkFlags flags, uint sequence,
        int linkIndex, PhysicalAddress mac, IPAddress? destination, NeighbourFlags entryFlags, NeighbourState state = NeighbourState.Permanent)
    {
        writer.BeginMessage(type, NetlinkFlags.Ack | flags, sequence);
        writer.WriteStruct(new NdMessage
        {
            Family = NeighbourAttributes.FamilyBridge,
            Index = linkIndex,
            State = (ushort)state,
            Flags = (byte)entryFlags,
        });
        writer.WriteAttribute(NeighbourAttributes.LinkLayerAddress, mac.GetAddressBytes());
        if (destination is not null)
        {
            writer.WriteAddress(NeighbourAttributes.Destination, destination);
        }

        writer.EndMessage();
    }

    internal static void WriteDump(NetlinkMessageWriter writer, uint sequence, byte family)
    {
        writer.BeginMessage(NetlinkMessageType.GetNeighbour, NetlinkFlags.Dump, sequence);
        writer.WriteStruct(new NdMessage { Family = family });
        writer.EndMessage();
    }

    internal static bool TryParseNeighbour(in NetlinkMessage message, out NeighbourInfo neighbour)
    {
        neighbour = null!;
        if (!TryReadHeader(message, out var header) || header.Family == NeighbourAttributes.FamilyBridge)
        {
            return false;
        }

        IPAddress? address = null;
        PhysicalAddress? mac = null;
        foreach (var attribute in message.Attributes(NdMessage.Size))
        {
            if (attribute.Type == NeighbourAttributes.Destination)
            {
                address = attribute.Address;
            }
            else if (attribute.Type == NeighbourAttributes.LinkLayerAddress)
            {
                mac = new PhysicalAddress(attribute.Payload.ToArray());
            }
        }

        if (address is null)
        {
            return false;
        }

        neighbour = new NeighbourInfo(header.Index, address, mac, (NeighbourState)header.State, (NeighbourFlags)header.Flags);
        return true;
    }

    internal static bool TryParseFdb(in NetlinkMessage message, out FdbEntry entry)
    {
        entry = null!;
        if (!TryReadHeader(message, out var header) || header.Family != NeighbourAttributes.FamilyBridge)
        {
            return false;
        }

        IPAddress? destination = null;
        PhysicalAddress? mac = null;
        int? master = null;
        ushort? vlan = null;
        foreach (var attribute in message.Attributes(NdMessage.Size))
        {
            switch (attribute.Type)
            {
                case NeighbourAttributes.Destination:
                    destination = attribute.Address;
                    break;
                case NeighbourAttributes.LinkLayerAddress:
                    mac = new PhysicalAddress(attribute.Payload.ToArray());
                    break;
                case NeighbourAttributes.Master:
                    master = (int)attribute.U32;
                    break;
                case NeighbourAttributes.Vlan:
                    vlan = attribute.U16;
                    break;
            }
        }

        if (mac is null)
        {
            return false;
        }

        entry = new FdbEntry(header.Index, mac, destination, (NeighbourState)header.State, (NeighbourFlags)header.Flags, master, vlan);
        return true;
    }

    private static bool TryReadHeader(in NetlinkMessage message, out NdMessage header)
    {
        header = default;
        if (message.Type is not (NetlinkMessageType.NewNeighbour or NetlinkMessageType.DelNeighbour)
            || message.Payload.Length < NdMessage.Size)
        {
            return false;
        }

        header = MemoryMarshal.Read<NdMessage>(message.Payload);
        return true;
    }

    internal static byte FamilyOf(AddressFamily? family) => AddressMessages.FamilyByte(family);
}
