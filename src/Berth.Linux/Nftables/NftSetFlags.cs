namespace Berth.Linux.Nftables;

/// <summary>Flags of a set or map.</summary>
[Flags]
public enum NftSetFlags
{
    None = 0,

    /// <summary><c>constant</c>: elements cannot change after creation.</summary>
    Constant = 1 << 0,

    /// <summary><c>interval</c>: elements may be prefixes and ranges.</summary>
    Interval = 1 << 1,

    /// <summary><c>timeout</c>: elements may expire.</summary>
    Timeout = 1 << 2,
}
