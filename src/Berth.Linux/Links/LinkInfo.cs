using System.Net.NetworkInformation;

namespace Berth.Linux.Links;

/// <summary>A link as the kernel reports it.</summary>
public sealed record LinkInfo
{
    public required int Index { get; init; }

    public required string Name { get; init; }

    /// <summary>IFLA_INFO_KIND ("bridge", "veth", "macvlan", "vxlan", "tun"); null for physical devices and lo.</summary>
    public string? Kind { get; init; }

    public LinkFlags Flags { get; init; }

    public int Mtu { get; init; }

    public PhysicalAddress? MacAddress { get; init; }

    /// <summary>The bridge this link is a port of, or null.</summary>
    public int? MasterIndex { get; init; }

    /// <summary>IFLA_LINK: the parent of a macvlan, the peer of a veth (possibly in another namespace).</summary>
    public int? ParentIndex { get; init; }

    /// <summary>Set when <see cref="ParentIndex"/> lives in another namespace.</summary>
    public int? LinkNetnsId { get; init; }

    public OperState OperState { get; init; }

    public MacvlanMode? MacvlanMode { get; init; }

    public uint? VxlanId { get; init; }

    /// <summary>The settings of a vxlan link; null for other kinds.</summary>
    public VxlanInfo? Vxlan { get; init; }

    /// <summary>The port settings of a link enslaved to a bridge; null otherwise.</summary>
    public BridgePortInfo? BridgePort { get; init; }

    /// <summary>IFLA_IFALIAS: free text a program may leave on a link (<c>ip link set … alias</c>); null when unset.</summary>
    public string? Alias { get; init; }

    public bool IsUp => (Flags & LinkFlags.Up) != 0;
}
