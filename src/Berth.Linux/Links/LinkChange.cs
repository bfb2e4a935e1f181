using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using Berth.Linux.Namespaces;

namespace Berth.Linux.Links;

/// <summary>Changes to an existing link; null fields are left alone.</summary>
internal sealed record LinkChange
{
    public bool? Up { get; init; }

    public int? Mtu { get; init; }

    public PhysicalAddress? MacAddress { get; init; }

    /// <summary>The new master's index; 0 removes the link from its bridge.</summary>
    public int? MasterIndex { get; init; }

    public string? NewName { get; init; }

    public NetnsHandle? Namespace { get; init; }

    /// <summary>A bridge port's hairpin mode (frames may leave by the port they came in by).</summary>
    public bool? Hairpin { get; init; }

    /// <summary>Whether the bridge learns source MACs on this port.</summary>
    public bool? PortLearning { get; init; }

    /// <summary>Whether the bridge floods unknown unicast out of this port.</summary>
    public bool? PortUnicastFlood { get; init; }

    /// <summary>IFLA_IFALIAS; the empty string removes it.</summary>
    public string? Alias { get; init; }

    internal bool ChangesBridgePort => Hairpin is not null || PortLearning is not null || PortUnicastFlood is not null;
}
