using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Linux.Addresses;
using Berth.Linux.Netlink;

namespace Berth.Linux.Routes;

/// <summary>Encodes and decodes RTM_*ROUTE messages.</summary>
internal static class RouteMessages
{
    internal static void Write(NetlinkMessageWriter writer, NetlinkMessageType type, NetlinkFlags flags, uint sequence, RouteSpec route, int? deviceIndex)
    {
        var family = route.Family;
        writer.BeginMessage(type, NetlinkFlags.Ack | flags, sequence);
        var scope = route.Scope ?? (route.Gateway is null && route.Type == RouteType.Unicast ? AddressScope.Link : AddressScope.Universe);
        if (type == NetlinkMessageType.DelRoute && route.Scope is null)
        {
            scope = AddressScope.Nowhere; // match any scope on delete, as ip does
        }

        writer.WriteStruct(new RtMessage
        {
            Family = AddressMessages.FamilyByte(family),
            DestinationLength = (byte)(route.Destination?.PrefixLength ?? 0),
            Table = route.Table < 256 ? (byte)route.Table : (byte)RouteTable.Unspecified,
            Protocol = type == NetlinkMessageType.DelRoute ? (byte)0 : (byte)route.Protocol,
            Scope = (byte)scope,
            Type = (byte)route.Type,
            Flags = route.OnLink ? RouteAttributes.OnLinkFlag : 0,
        });
        if (route.Destination is { } destination)
        {
            writer.WriteAddress(RouteAttributes.Destination, destination.BaseAddress);
        }

        if (route.Gateway is not null)
        {
            writer.WriteAddress(RouteAttributes.Gateway, route.Gateway);
        }

        if (deviceIndex is { } index)
        {
            writer.WriteU32(RouteAttributes.OutputInterface, (uint)index);
        }

        if (route.Metric is { } metric)
        {
            writer.WriteU32(RouteAttributes.Priority, (uint)metric);
        }

        if (route.PreferredSource is not null)
        {
            writer.WriteAddress(RouteAttributes.PreferredSource, route.PreferredSource);
        }

        writer.WriteU32(RouteAttributes.Table, (uint)route.Table);
        writer.EndMessage();
    }

    internal static void WriteDump(NetlinkMessageWriter writer, uint sequence, AddressFamily family)
    {
        writer.BeginMessage(NetlinkMessageType.GetRoute, NetlinkFlags.Dump, sequence);
        writer.WriteStruct(new RtMessage { Family = AddressMessages.FamilyByte(family) });
        writer.EndMessage();
    }

    /// <summary>RTM_GETROUTE for one destination: the route the kernel would take to it (<c>ip route get</c>).</summary>
    internal static void WriteGet(NetlinkMessageWriter writer, uint sequence, IPAddress destination)
    {
        writer.BeginMessage(NetlinkMessageType.GetRoute, NetlinkFlags.None, sequence);
        writer.WriteStruct(new RtMessage
        {
            Family = AddressMessages.FamilyByte(destination.AddressFamily),

            // Strict checking (NETLINK_GET_STRICT_CHK) takes only a full-length destination.
            DestinationLength = (byte)(destination.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32),
        });
        writer.WriteAddress(RouteAttributes.Destination, destination);
        writer.EndMessage();
    }

    internal static bool TryParse(in NetlinkMessage message, out RouteInfo route)
    {
        route = null!;
        if (message.Type != NetlinkMessageType.NewRoute || message.Payload.Length < RtMessage.Size)
        {
            return false;
        }

        var header = MemoryMarshal.Read<RtMessage>(message.Payload);
        IPAddress? destination = null, gateway = null, source = null;
        int? oif = null, metric = null;
        int table = header.Table;
        foreach (var attribute in message.Attributes(RtMessage.Size))
        {
            switch (attribute.Type)
            {
                case RouteAttributes.Destination:
                    destination = attribute.Address;
                    break;
                case RouteAttributes.Gateway:
                    gateway = attribute.Address;
                    break;
                case RouteAttributes.OutputInterface:
                    oif = (int)attribute.U32;
                    break;
                case RouteAttributes.Priority:
                    metric = (int)attribute.U32;
                    break;
                case RouteAttributes.PreferredSource:
                    source = attribute.Address;
                    break;
                case RouteAttributes.Table:
                    table = (int)attribute.U32;
                    break;
            }
        }

        route = new RouteInfo
        {
            Destination = destination is null && header.DestinationLength == 0 ? null
                : new IPNetwork(destination ?? (header.Family == 10 ? IPAddress.IPv6Any : IPAddress.Any), header.DestinationLength),
            Gateway = gateway,
            OutputInterface = oif,
            Table = table,
            Type = (RouteType)header.Type,
            Protocol = (RouteProtocol)header.Protocol,
            Scope = (AddressScope)header.Scope,
            Metric = metric,
            PreferredSource = source,
            OnLink = (header.Flags & RouteAttributes.OnLinkFlag) != 0,
        };
        return true;
    }
}
