namespace Berth.Linux.Nftables;

/// <summary>What a base chain does with a packet no rule decided on.</summary>
public enum NftPolicy
{
    Accept,
    Drop,
}
