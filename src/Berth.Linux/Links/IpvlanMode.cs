namespace Berth.Linux.Links;

/// <summary>ipvlan modes (IPVLAN_MODE_* in linux/if_link.h).</summary>
public enum IpvlanMode : ushort
{
    L2 = 0,
    L3 = 1,
    L3S = 2,
}
