using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Berth.Linux.Links;
using Berth.Linux.Neighbours;
using Berth.Linux.Netlink;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Linux.Events;

/// <summary>
/// Subscribes to link and neighbour events of one namespace (the opening thread's) and reads
/// them asynchronously through the runtime's epoll engine: no thread is parked on it.
/// </summary>
public sealed class NetlinkMonitor : IDisposable
{
    private const uint GroupLink = 1;      // RTNLGRP_LINK
    private const uint GroupNeighbour = 3; // RTNLGRP_NEIGH
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly NetlinkSocket _netlink;
    private readonly Socket _socket;
    private readonly ILogger _logger;

    private NetlinkMonitor(NetlinkSocket netlink, ILogger logger)
    {
        _netlink = netlink;
        _logger = logger;
        _socket = new Socket(new SafeSocketHandle(netlink.Handle.DangerousGetHandle(), ownsHandle: false));
    }

    /// <summary>Opens a monitor for the calling thread's network namespace.</summary>
    public static NetlinkMonitor Open(NetlinkGroups groups, ILogger? logger = null)
    {
        var list = new List<uint>();
        if ((groups & NetlinkGroups.Link) != 0)
        {
            list.Add(GroupLink);
        }

        if ((groups & NetlinkGroups.Neighbour) != 0)
        {
            list.Add(GroupNeighbour);
        }

        var socket = NetlinkSocket.Open(NetlinkProtocol.Route, list, logger);
        return new NetlinkMonitor(socket, logger ?? NullLogger.Instance);
    }

    /// <summary>Events in the order the kernel sent them, until cancelled or disposed.</summary>
    public async IAsyncEnumerable<NetlinkEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new byte[ReceiveBufferSize];
        while (!cancellationToken.IsCancellationRequested)
        {
            int received;
            bool lost = false;
            try
            {
                received = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
            {
                NetlinkLog.MonitorOverrun(_logger);
                received = 0;
                lost = true;
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            catch (ObjectDisposedException)
            {
                yield break;
            }

            if (lost)
            {
                yield return new EventsLost();
                continue;
            }

            foreach (var item in Parse(buffer.AsSpan(0, received)))
            {
                yield return item;
            }
        }
    }

    internal static List<NetlinkEvent> Parse(ReadOnlySpan<byte> datagram)
    {
        var events = new List<NetlinkEvent>();
        while (NetlinkMessageParser.TryRead(ref datagram, out var message))
        {
            switch (message.Type)
            {
                case NetlinkMessageType.NewLink or NetlinkMessageType.DelLink when LinkMessages.TryParse(message, out var link):
                    events.Add(new LinkEvent(message.Type == NetlinkMessageType.DelLink, link));
                    break;
                case NetlinkMessageType.NewNeighbour or NetlinkMessageType.DelNeighbour:
                    bool removed = message.Type == NetlinkMessageType.DelNeighbour;
                    if (NeighbourMessages.TryParseFdb(message, out var entry))
                    {
                        events.Add(new FdbEvent(removed, entry));
                    }
                    else if (NeighbourMessages.TryParseNeighbour(message, out var neighbour))
                    {
                        events.Add(new NeighbourEvent(removed, neighbour));
                    }

                    break;
            }
        }

        return events;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _netlink.Dispose();
    }
}
