namespace Berth.Linux.Nftables;

/// <summary>Connection tracking states a rule can match (<c>ct state</c>).</summary>
[Flags]
public enum NftCtState
{
    None = 0,
    Invalid = 1 << 0,
    Established = 1 << 1,
    Related = 1 << 2,
    New = 1 << 3,
    Untracked = 1 << 4,
}
