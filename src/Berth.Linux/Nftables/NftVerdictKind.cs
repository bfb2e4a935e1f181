namespace Berth.Linux.Nftables;

/// <summary>What a verdict does with a packet.</summary>
public enum NftVerdictKind
{
    Accept,
    Drop,
    Return,
    Continue,
    Jump,
    Goto,
}
