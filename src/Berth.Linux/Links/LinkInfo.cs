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

    public bool IsUp => (Flags & LinkFlags.Up) != 0;
}
