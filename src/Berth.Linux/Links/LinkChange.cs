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
}
