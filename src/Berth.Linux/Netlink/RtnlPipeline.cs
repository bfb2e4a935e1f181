using System.Net;
using System.Net.NetworkInformation;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Linux.Addresses;
using Berth.Linux.Interop;
using Berth.Linux.Links;
using Berth.Linux.Neighbours;
using Berth.Linux.Routes;

namespace Berth.Linux.Netlink;

/// <summary>
/// Several rtnetlink requests sent in one sendmsg, each acknowledged on its own. The kernel
/// applies them in order but NOT as a transaction: when one fails, the others still apply. Use
/// it for steps that are safe that way (bringing links up, addresses and routes in a namespace
/// that will be discarded as a whole on failure). Links must be named by index, except for
/// <see cref="SetUp"/>.
/// </summary>
public sealed class RtnlPipeline
{
    private readonly NetlinkSocket _socket;
    private readonly NetlinkMessageWriter _writer = new();
    private readonly Dictionary<uint, string> _descriptions = [];

    internal RtnlPipeline(NetlinkSocket socket)
    {
        _socket = socket;
    }

    public int Count => _writer.MessageCount;

    public RtnlPipeline SetUp(LinkRef link)
    {
        uint sequence = Next($"bring up link {link}");
        LinkOperations.WriteSetUp(_writer, sequence, link);
        return this;
    }

    public RtnlPipeline AddAddress(int linkIndex, IPPrefix address, AddressFlags flags = AddressFlags.None)
    {
        uint sequence = Next($"add address {address} to link #{linkIndex}");
        AddressMessages.WriteAdd(_writer, sequence, linkIndex, address, flags);
        return this;
    }

    public RtnlPipeline AddRoute(RouteSpec route)
    {
        ArgumentNullException.ThrowIfNull(route);
        int? device = route.Device is { } link
            ? (link.Name is null ? link.Index : throw new BerthException(ErrorKind.InvalidArgument, "a pipelined route names its device by index"))
            : null;
        uint sequence = Next($"add route {route}");
        RouteMessages.Write(_writer, NetlinkMessageType.NewRoute, NetlinkFlags.Create | NetlinkFlags.Exclusive, sequence, route, device);
        return this;
    }

    public RtnlPipeline SetStaticNeighbour(int linkIndex, IPAddress address, PhysicalAddress mac)
    {
        uint sequence = Next($"set neighbour {address} on link #{linkIndex}");
        NeighbourMessages.WriteNeighbour(_writer, NetlinkMessageType.NewNeighbour, NetlinkFlags.Create | NetlinkFlags.Replace, sequence, linkIndex, address, mac);
        return this;
    }

    public RtnlPipeline DeleteNeighbour(int linkIndex, IPAddress address)
    {
        uint sequence = Next($"delete neighbour {address} on link #{linkIndex}");
        NeighbourMessages.WriteNeighbour(_writer, NetlinkMessageType.DelNeighbour, NetlinkFlags.None, sequence, linkIndex, address, null);
        return this;
    }

    /// <summary>Adds or replaces a bridge FDB entry (see <see cref="FdbOperations.Set"/> for the state to use).</summary>
    public RtnlPipeline SetFdb(int linkIndex, PhysicalAddress mac, IPAddress? destination, NeighbourFlags flags, NeighbourState state = NeighbourState.Permanent)
    {
        ArgumentNullException.ThrowIfNull(mac);
        uint sequence = Next(destination is null ? $"set FDB entry {mac} ({flags}) on link #{linkIndex}" : $"set FDB entry {mac} dst {destination} ({flags}) on link #{linkIndex}");
        NeighbourMessages.WriteFdb(_writer, NetlinkMessageType.NewNeighbour, NetlinkFlags.Create | NetlinkFlags.Replace, sequence, linkIndex, mac, destination, flags, state);
        return this;
    }

    /// <summary>Deletes a bridge FDB entry: on a VXLAN device (<see cref="NeighbourFlags.Self"/>) without a destination, all of the MAC's.</summary>
    public RtnlPipeline DeleteFdb(int linkIndex, PhysicalAddress mac, NeighbourFlags flags)
    {
        ArgumentNullException.ThrowIfNull(mac);
        uint sequence = Next($"delete FDB entry {mac} ({flags}) on link #{linkIndex}");
        NeighbourMessages.WriteFdb(_writer, NetlinkMessageType.DelNeighbour, NetlinkFlags.None, sequence, linkIndex, mac, null, flags);
        return this;
    }

    /// <summary>Sends everything (in slices of <see cref="NetlinkSocket.MaxRequestsPerSend"/>); throws for the first request that failed, naming it.</summary>
    public void Execute()
    {
        if (_writer.MessageCount == 0)
        {
            return;
        }

        try
        {
            _socket.Execute(_writer);
        }
        catch (NetlinkException e)
        {
            string what = _descriptions.TryGetValue(e.Sequence, out var description) ? description : e.Request.ToString();
            var kind = e.Errno == Errno.EEXIST ? ErrorKind.Conflict : (ErrorKind?)null;
            throw new KernelException(e.Errno, $"cannot {what}", e.KernelMessage, kind);
        }
        finally
        {
            _writer.Reset();
            _descriptions.Clear();
        }
    }

    private uint Next(string description)
    {
        uint sequence = _socket.NextSequence();
        _descriptions[sequence] = description;
        return sequence;
    }
}
