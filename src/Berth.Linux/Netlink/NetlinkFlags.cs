namespace Berth.Linux.Netlink;

/// <summary>nlmsg_flags (linux/netlink.h). Several values are reused with meanings that depend on the request kind.</summary>
// The kernel reuses the high bits with request-specific meanings, so values repeat on purpose.
#pragma warning disable CA1069
[Flags]
public enum NetlinkFlags : ushort
{
    None = 0,
    Request = 0x1,
    Multi = 0x2,
    Ack = 0x4,
    Echo = 0x8,
    DumpInterrupted = 0x10,
    DumpFiltered = 0x20,

    // GET requests
    Root = 0x100,
    Match = 0x200,
    Dump = Root | Match,

    // NEW requests
    Replace = 0x100,
    Exclusive = 0x200,
    Create = 0x400,
    Append = 0x800,

    // ACK messages
    Capped = 0x100,
    AckTlvs = 0x200,
}
#pragma warning restore CA1069
