using System.Net;

namespace Berth.Linux.Links;

/// <summary>A VXLAN device's settings as the kernel reports them (IFLA_VXLAN_* inside IFLA_INFO_DATA).</summary>
public sealed record VxlanInfo
{
    public required uint Vni { get; init; }

    /// <summary>Source address of the outer packets; null when unset.</summary>
    public IPAddress? Local { get; init; }

    /// <summary>The UDP destination port (host byte order).</summary>
    public ushort Port { get; init; }

    public bool Learning { get; init; }

    /// <summary>ARP/ND answered from the device's neighbour table (IFLA_VXLAN_PROXY).</summary>
    public bool Proxy { get; init; }
}
