namespace Berth.Linux.Links;

/// <summary>A bridge port's settings as the kernel reports them (IFLA_BRPORT_* inside IFLA_INFO_SLAVE_DATA).</summary>
public sealed record BridgePortInfo
{
    /// <summary>The bridge learns source MACs of frames arriving on this port.</summary>
    public bool Learning { get; init; }

    /// <summary>Frames to unknown unicast MACs are flooded out of this port.</summary>
    public bool UnicastFlood { get; init; }

    public bool Hairpin { get; init; }
}
