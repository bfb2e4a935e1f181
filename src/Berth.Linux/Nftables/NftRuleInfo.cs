using System.Collections.Immutable;

namespace Berth.Linux.Nftables;

/// <summary>
/// A rule as a chain listing reports it: what Berth needs to find its own rules in another tool's chain and to judge
/// whether that chain can drop. The rule's matches are not kept; they are never parsed back.
/// </summary>
/// <param name="Handle">The rule's handle, to delete it by (<c>delete rule ip filter FORWARD handle 7</c>).</param>
/// <param name="Comment">The rule's comment, if any.</param>
/// <param name="Verdicts">The verdict keywords found in its statements (<c>accept</c>, <c>drop</c>, <c>reject</c>, <c>jump</c>, <c>goto</c>, <c>return</c>, <c>queue</c>), in order.</param>
public sealed record NftRuleInfo(long Handle, string? Comment, ImmutableArray<string> Verdicts)
{
    /// <summary>The rule can end a packet's way: it drops, rejects, or hands it to a chain or queue that may.</summary>
    public bool MayDrop => Verdicts.Any(v => v is "drop" or "reject" or "jump" or "goto" or "queue");
}
