namespace Berth.Linux.Events;

/// <summary>rtnetlink multicast groups to subscribe to (RTNLGRP_* in linux/rtnetlink.h).</summary>
[Flags]
public enum NetlinkGroups
{
    None = 0,
    Link = 1 << 0,
    Neighbour = 1 << 1,
}
