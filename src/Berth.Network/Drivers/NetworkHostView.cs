using System.Collections.Immutable;
using System.Net;

namespace Berth.Network.Drivers;

/// <summary>
/// What a network is on this host, as its driver made it: read by <c>berth doctor</c> and the topology, which never
/// look into a driver's state themselves. Every field is null or empty where it does not apply to the driver.
/// </summary>
public sealed record NetworkHostView
{
    public static NetworkHostView None { get; } = new();

    /// <summary>The host interface containers hang off: a bridge's own (<c>br-1a2b…</c>, <c>berth0</c>); null for others.</summary>
    public string? Bridge { get; init; }

    /// <summary>The host interface whose LAN the containers join: a macvlan network's parent (<c>eth0</c>, <c>eth0.10</c>).</summary>
    public string? Parent { get; init; }

    /// <summary>The driver made <see cref="Parent"/> (a VLAN sub-interface) and removes it with the network.</summary>
    public bool ParentMadeByBerth { get; init; }

    /// <summary>
    /// <see cref="Parent"/> is a placeholder the driver made because no parent was given: the network is on no LAN,
    /// its containers reach only each other.
    /// </summary>
    public bool ParentIsPlaceholder { get; init; }

    /// <summary>macvlan's mode: bridge, private, vepa or passthru.</summary>
    public string? Mode { get; init; }

    /// <summary>The host's own interface on the network that lets it reach the containers (macvlan's host shim, <c>bsh-…</c>).</summary>
    public string? HostShim { get; init; }

    public ImmutableArray<IPAddress> HostShimAddresses { get; init; } = [];

    /// <summary>Whether the host itself reaches the network's containers: through a bridge, or a macvlan's host shim.</summary>
    public bool HostReachesContainers { get; init; }

    /// <summary>Containers of the network may not talk to each other, only to its gateway (a bridge's <c>enable_icc=false</c>).</summary>
    public bool ContainersIsolated { get; init; }

    /// <summary>The MTU the driver gives the containers' interfaces; null: the kernel's default for the link.</summary>
    public int? Mtu { get; init; }

    /// <summary>An overlay's namespace on this node (its bridge and VXLAN device), when this node has one.</summary>
    public string? Sandbox { get; init; }

    /// <summary>The MTU of the link an overlay's tunnel leaves this node by (its underlay); null when not known here.</summary>
    public int? UnderlayMtu { get; init; }

    /// <summary>Bytes an overlay adds to each packet on the underlay (VXLAN's 50, more when sealed).</summary>
    public int? Overhead { get; init; }

    /// <summary>An overlay's VXLAN network identifier.</summary>
    public uint? Vni { get; init; }
}
