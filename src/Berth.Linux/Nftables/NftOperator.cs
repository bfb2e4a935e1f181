namespace Berth.Linux.Nftables;

/// <summary>The comparison of a match; <see cref="Equal"/> is nft's implicit one (also set membership).</summary>
public enum NftOperator
{
    Equal,
    NotEqual,
    LessThan,
    GreaterThan,
    LessOrEqual,
    GreaterOrEqual,
}
