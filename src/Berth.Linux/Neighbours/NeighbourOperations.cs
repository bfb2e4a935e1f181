using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Linux.Interop;
using Berth.Linux.Links;
using Berth.Linux.Netlink;

namespace Berth.Linux.Neighbours;

/// <summary>Static ARP (IPv4) and NDP (IPv6) entries of one namespace.</summary>
public sealed class NeighbourOperations
{
    private readonly NetlinkSocket _socket;
    private readonly LinkOperations _links;

    internal NeighbourOperations(NetlinkSocket socket, LinkOperations links)
    {
        _socket = socket;
        _links = links;
    }

    /// <summary>Adds or replaces a permanent entry: <paramref name="address"/> is at <paramref name="mac"/> on <paramref name="link"/>.</summary>
    public void SetStatic(LinkRef link, IPAddress address, PhysicalAddress mac)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(mac);
        Send(link, address, mac, NetlinkMessageType.NewNeighbour, NetlinkFlags.Create | NetlinkFlags.Replace, "set");
    }

    public void Delete(LinkRef link, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Send(link, address, null, NetlinkMessageType.DelNeighbour, NetlinkFlags.None, "delete");
    }

    public IReadOnlyList<NeighbourInfo> List(LinkRef? link = null, AddressFamily? family = null)
    {
        var all = _socket.Query<NeighbourInfo>(
            (writer, sequence) => NeighbourMessages.WriteDump(writer, sequence, NeighbourMessages.FamilyOf(family)),
            NeighbourMessages.TryParseNeighbour);
        if (link is not { } filter)
        {
            return all;
        }

        int index = _links.IndexOf(filter);
        return all.Where(n => n.LinkIndex == index).ToList();
    }

    private void Send(LinkRef link, IPAddress address, PhysicalAddress? mac, NetlinkMessageType type, NetlinkFlags flags, string action)
    {
        int index = _links.IndexOf(link);
        var writer = new NetlinkMessageWriter();
        NeighbourMessages.WriteNeighbour(writer, type, flags, _socket.NextSequence(), index, address, mac);
        _socket.Execute(writer, e => e.Errno == Errno.ENOENT
            ? new KernelException(e.Errno, $"cannot {action} neighbour {address} on link {link}: no such entry", e.KernelMessage, ErrorKind.NotFound)
            : new KernelException(e.Errno, $"cannot {action} neighbour {address} on link {link}", e.KernelMessage));
    }
}
