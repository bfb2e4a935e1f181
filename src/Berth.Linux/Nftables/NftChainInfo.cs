namespace Berth.Linux.Nftables;

/// <summary>
/// A chain as <c>list chains</c> reports it. Base-chain fields are null for regular chains, and fields nft may
/// spell in ways Berth does not know (a new hook, a device list) stay as nft's text or null: this describes other
/// tools' chains too, and reading them must never fail.
/// </summary>
/// <param name="Chain">Family, table and name.</param>
/// <param name="Type"><c>filter</c>, <c>nat</c>, <c>route</c>; null for a regular chain.</param>
/// <param name="Hook"><c>forward</c>, <c>input</c>…; null for a regular chain.</param>
/// <param name="Priority">The numeric priority; null for a regular chain or one nft printed otherwise.</param>
/// <param name="Policy"><c>accept</c> or <c>drop</c>; null for a regular chain.</param>
public sealed record NftChainInfo(NftChainRef Chain, string? Type, string? Hook, int? Priority, string? Policy)
{
    public bool IsBaseChain => Hook is not null;
}
