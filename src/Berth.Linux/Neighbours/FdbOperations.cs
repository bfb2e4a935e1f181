using System.Net;
using System.Net.NetworkInformation;
using Berth.Core.Errors;
using Berth.Linux.Interop;
using Berth.Linux.Links;
using Berth.Linux.Netlink;

namespace Berth.Linux.Neighbours;

/// <summary>
/// Bridge forwarding databases (AF_BRIDGE neighbours): static MACs on bridge ports, and the
/// remote VTEPs of a VXLAN device (<c>bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2 self permanent</c>).
/// </summary>
public sealed class FdbOperations
{
    /// <summary>The all-zero MAC: on a VXLAN device, entries with it flood BUM traffic to every listed destination.</summary>
    public static readonly PhysicalAddress FloodMac = new(new byte[6]);

    private readonly NetlinkSocket _socket;
    private readonly LinkOperations _links;

    internal FdbOperations(NetlinkSocket socket, LinkOperations links)
    {
        _socket = socket;
        _links = links;
    }

    /// <summary>Adds an entry beside existing ones for the same MAC (NLM_F_APPEND): used to add flood destinations.</summary>
    public void Append(LinkRef link, PhysicalAddress mac, IPAddress? destination = null, NeighbourFlags flags = NeighbourFlags.Self) =>
        Send(link, mac, destination, flags, NeighbourState.Permanent, NetlinkMessageType.NewNeighbour, NetlinkFlags.Create | NetlinkFlags.Append, "append");

    /// <summary>
    /// Adds or replaces the entry for a MAC (one destination per MAC). A VXLAN device's own entries
    /// (<see cref="NeighbourFlags.Self"/>) take <see cref="NeighbourState.Permanent"/>; a bridge's
    /// (<see cref="NeighbourFlags.Master"/>) take <see cref="NeighbourState.NoArp"/> ("static": forward to this
    /// port), since a permanent bridge entry means "local": frames to it go to the bridge itself.
    /// </summary>
    public void Set(LinkRef link, PhysicalAddress mac, IPAddress? destination = null, NeighbourFlags flags = NeighbourFlags.Self, NeighbourState state = NeighbourState.Permanent) =>
        Send(link, mac, destination, flags, state, NetlinkMessageType.NewNeighbour, NetlinkFlags.Create | NetlinkFlags.Replace, "set");

    public void Delete(LinkRef link, PhysicalAddress mac, IPAddress? destination = null, NeighbourFlags flags = NeighbourFlags.Self) =>
        Send(link, mac, destination, flags, NeighbourState.Permanent, NetlinkMessageType.DelNeighbour, NetlinkFlags.None, "delete");

    public IReadOnlyList<FdbEntry> List(LinkRef? link = null)
    {
        var all = _socket.Query<FdbEntry>(
            (writer, sequence) => NeighbourMessages.WriteDump(writer, sequence, NeighbourAttributes.FamilyBridge),
            NeighbourMessages.TryParseFdb);
        if (link is not { } filter)
        {
            return all;
        }

        int index = _links.IndexOf(filter);
        return all.Where(e => e.LinkIndex == index).ToList();
    }

    private void Send(LinkRef link, PhysicalAddress mac, IPAddress? destination, NeighbourFlags flags, NeighbourState state, NetlinkMessageType type, NetlinkFlags requestFlags, string action)
    {
        ArgumentNullException.ThrowIfNull(mac);
        int index = _links.IndexOf(link);
        var writer = new NetlinkMessageWriter();
        NeighbourMessages.WriteFdb(writer, type, requestFlags, _socket.NextSequence(), index, mac, destination, flags, state);
        string what = destination is null ? $"FDB entry {mac}" : $"FDB entry {mac} dst {destination}";
        _socket.Execute(writer, e => e.Errno switch
        {
            Errno.ENOENT => new KernelException(e.Errno, $"cannot {action} {what} on link {link}: no such entry", e.KernelMessage, ErrorKind.NotFound),
            Errno.EEXIST => new KernelException(e.Errno, $"cannot {action} {what} on link {link}: it already exists", e.KernelMessage, ErrorKind.Conflict),
            _ => new KernelException(e.Errno, $"cannot {action} {what} on link {link}", e.KernelMessage),
        });
    }
}
