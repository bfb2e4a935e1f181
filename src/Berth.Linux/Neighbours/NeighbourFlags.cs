namespace Berth.Linux.Neighbours;

/// <summary>Neighbour entry flags (NTF_*).</summary>
[Flags]
public enum NeighbourFlags : byte
{
    None = 0,
    Use = 0x01,

    /// <summary>An FDB entry of the device itself (e.g. a VXLAN remote), not of its bridge.</summary>
    Self = 0x02,

    /// <summary>An FDB entry of the bridge the device is a port of.</summary>
    Master = 0x04,
    Proxy = 0x08,
    ExtLearned = 0x10,
    Router = 0x80,
}
