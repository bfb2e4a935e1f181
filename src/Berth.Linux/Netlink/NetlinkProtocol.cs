namespace Berth.Linux.Netlink;

/// <summary>Netlink protocol families (linux/netlink.h) and socket options (SOL_NETLINK).</summary>
internal static class NetlinkProtocol
{
    internal const int Route = 0; // NETLINK_ROUTE

    internal const int SolNetlink = 270;
    internal const int AddMembership = 1; // NETLINK_ADD_MEMBERSHIP
    internal const int DropMembership = 2;
    internal const int CapAck = 10; // NETLINK_CAP_ACK: do not echo the request payload in errors
    internal const int ExtAck = 11; // NETLINK_EXT_ACK: error text and offsets
    internal const int GetStrictCheck = 12; // NETLINK_GET_STRICT_CHK: reject malformed dump filters

    /// <summary>struct sockaddr_nl: family u16, pad u16, pid u32, groups u32.</summary>
    internal const int SockaddrSize = 12;

    // struct nlmsgerr attributes (NLMSGERR_ATTR_*)
    internal const ushort ErrorAttributeMessage = 1;
    internal const ushort ErrorAttributeOffset = 2;
}
