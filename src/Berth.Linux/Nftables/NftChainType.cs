namespace Berth.Linux.Nftables;

/// <summary>The type of a base chain.</summary>
public enum NftChainType
{
    Filter,
    Nat,
    Route,
}
