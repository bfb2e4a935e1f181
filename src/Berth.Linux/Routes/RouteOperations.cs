using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Linux.Interop;
using Berth.Linux.Links;
using Berth.Linux.Netlink;

namespace Berth.Linux.Routes;

/// <summary>Routes of one namespace, in any table.</summary>
public sealed class RouteOperations
{
    private readonly NetlinkSocket _socket;
    private readonly LinkOperations _links;

    internal RouteOperations(NetlinkSocket socket, LinkOperations links)
    {
        _socket = socket;
        _links = links;
    }

    /// <summary>Adds a route; fails with Conflict if the same route exists.</summary>
    public void Add(RouteSpec route) => Send(route, NetlinkMessageType.NewRoute, NetlinkFlags.Create | NetlinkFlags.Exclusive, "add");

    /// <summary>Adds a route or replaces the one with the same destination, table and metric.</summary>
    public void Replace(RouteSpec route) => Send(route, NetlinkMessageType.NewRoute, NetlinkFlags.Create | NetlinkFlags.Replace, "replace");

    public void Delete(RouteSpec route) => Send(route, NetlinkMessageType.DelRoute, NetlinkFlags.None, "delete");

    /// <summary>Routes of one family, from one table or (null) all tables.</summary>
    public IReadOnlyList<RouteInfo> List(AddressFamily family = AddressFamily.InterNetwork, int? table = RouteTable.Main)
    {
        var all = _socket.Query<RouteInfo>((writer, sequence) => RouteMessages.WriteDump(writer, sequence, family), RouteMessages.TryParse);
        return table is { } t ? all.Where(r => r.Table == t).ToList() : all;
    }

    /// <summary>The route the kernel picks for <paramref name="destination"/> (<c>ip route get</c>): its output link, gateway, source.</summary>
    public RouteInfo Lookup(IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        try
        {
            var replies = _socket.Query<RouteInfo>((writer, sequence) => RouteMessages.WriteGet(writer, sequence, destination), RouteMessages.TryParse);
            return replies.Count > 0 ? replies[0]
                : throw new KernelException(Errno.ENETUNREACH, $"no route to {destination}", kind: ErrorKind.NotFound);
        }
        catch (NetlinkException e) when (e.Errno is Errno.ENETUNREACH or Errno.EHOSTUNREACH)
        {
            throw new KernelException(e.Errno, $"no route to {destination}; add one or an address in its subnet", e.KernelMessage, ErrorKind.NotFound);
        }
    }

    private void Send(RouteSpec route, NetlinkMessageType type, NetlinkFlags flags, string action)
    {
        ArgumentNullException.ThrowIfNull(route);
        int? device = route.Device is { } link ? _links.IndexOf(link) : null;
        var writer = new NetlinkMessageWriter();
        RouteMessages.Write(writer, type, flags, _socket.NextSequence(), route, device);
        _socket.Execute(writer, e => Failed(route, action, e));
    }

    private static KernelException Failed(RouteSpec route, string action, NetlinkException e) => e.Errno switch
    {
        Errno.EEXIST => new KernelException(e.Errno, $"cannot {action} route {route}: it already exists", e.KernelMessage, ErrorKind.Conflict),
        Errno.ESRCH or Errno.ENOENT => new KernelException(e.Errno, $"cannot {action} route {route}: no such route", e.KernelMessage, ErrorKind.NotFound),
        Errno.ENETUNREACH => new KernelException(e.Errno,
            $"cannot {action} route {route}: the gateway is not on any directly connected subnet; add an address in its subnet first or mark the route on-link",
            e.KernelMessage, ErrorKind.InvalidArgument),
        Errno.ENODEV => new KernelException(e.Errno, $"cannot {action} route {route}: the device does not exist", e.KernelMessage, ErrorKind.NotFound),
        _ => new KernelException(e.Errno, $"cannot {action} route {route}", e.KernelMessage),
    };
}
