namespace Berth.Linux.Netlink;

/// <summary>Netlink message types (linux/netlink.h, linux/rtnetlink.h).</summary>
public enum NetlinkMessageType : ushort
{
    Noop = 1,
    Error = 2,
    Done = 3,
    Overrun = 4,
    NewLink = 16,
    DelLink = 17,
    GetLink = 18,
    SetLink = 19,
    NewAddress = 20,
    DelAddress = 21,
    GetAddress = 22,
    NewRoute = 24,
    DelRoute = 25,
    GetRoute = 26,
    NewNeighbour = 28,
    DelNeighbour = 29,
    GetNeighbour = 30,
    NewRule = 32,
    DelRule = 33,
    GetRule = 34,
}
