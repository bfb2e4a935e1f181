namespace Berth.Linux.Links;

/// <summary>Attribute numbers for links (linux/if_link.h, linux/veth.h).</summary>
internal static class LinkAttributes
{
    // IFLA_*
    internal const ushort Address = 1;
    internal const ushort IfName = 3;
    internal const ushort Mtu = 4;
    internal const ushort Link = 5;
    internal const ushort Master = 10;
    internal const ushort OperState = 16;
    internal const ushort IfAlias = 20;
    internal const ushort LinkInfo = 18;
    internal const ushort Stats64 = 23;
    internal const ushort NetNsFd = 28;
    internal const ushort ExtMask = 29;
    internal const ushort LinkNetnsId = 37;

    // IFLA_INFO_*
    internal const ushort InfoKind = 1;
    internal const ushort InfoData = 2;
    internal const ushort InfoSlaveKind = 4;
    internal const ushort InfoSlaveData = 5;

    // IFLA_BRPORT_* (inside IFLA_INFO_SLAVE_DATA of a bridge port)
    internal const ushort BridgePortMode = 4;
    internal const ushort BridgePortLearning = 8;
    internal const ushort BridgePortUnicastFlood = 9;

    // VETH_INFO_PEER: struct ifinfomsg followed by the peer's IFLA_* attributes.
    internal const ushort VethPeer = 1;

    // IFLA_MACVLAN_*
    internal const ushort MacvlanMode = 1;

    // IFLA_VXLAN_*
    internal const ushort VxlanId = 1;
    internal const ushort VxlanGroup = 2;
    internal const ushort VxlanLink = 3;
    internal const ushort VxlanLocal = 4;
    internal const ushort VxlanTtl = 5;
    internal const ushort VxlanLearning = 7;
    internal const ushort VxlanProxy = 11;
    internal const ushort VxlanPort = 15; // big-endian u16
    internal const ushort VxlanGroup6 = 16;
    internal const ushort VxlanLocal6 = 17;

    // IFLA_BR_*
    internal const ushort BridgeStpState = 5;
    internal const ushort BridgeVlanFiltering = 7;
}
