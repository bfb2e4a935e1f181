using System.Runtime.InteropServices;
using Berth.Linux.Netlink;

namespace Berth.Linux.Links;

/// <summary>A link's traffic counters (linux/if_link.h <c>struct rtnl_link_stats64</c>, its first eight fields), as <c>docker stats</c> shows them per interface.</summary>
public sealed record LinkStatistics(
    string Name,
    bool Loopback,
    ulong RxPackets,
    ulong TxPackets,
    ulong RxBytes,
    ulong TxBytes,
    ulong RxErrors,
    ulong TxErrors,
    ulong RxDropped,
    ulong TxDropped)
{
    /// <summary>The fields read: rx/tx packets, bytes, errors, dropped, each a u64 in host order.</summary>
    private const int CountersRead = 8;

    internal static bool TryParse(in NetlinkMessage message, out LinkStatistics statistics)
    {
        statistics = null!;
        if (message.Type != NetlinkMessageType.NewLink || message.Payload.Length < IfInfoMessage.Size)
        {
            return false;
        }

        var header = MemoryMarshal.Read<IfInfoMessage>(message.Payload);
        string? name = null;
        Span<ulong> counters = stackalloc ulong[CountersRead];
        foreach (var attribute in message.Attributes(IfInfoMessage.Size))
        {
            if (attribute.Type == LinkAttributes.IfName)
            {
                name = attribute.String;
            }
            else if (attribute.Type == LinkAttributes.Stats64 && attribute.Payload.Length >= CountersRead * sizeof(ulong))
            {
                for (int i = 0; i < CountersRead; i++)
                {
                    counters[i] = MemoryMarshal.Read<ulong>(attribute.Payload[(i * sizeof(ulong))..]);
                }
            }
        }

        if (name is null)
        {
            return false;
        }

        statistics = new LinkStatistics(name, (header.Flags & (uint)LinkFlags.Loopback) != 0,
            counters[0], counters[1], counters[2], counters[3], counters[4], counters[5], counters[6], counters[7]);
        return true;
    }
}
