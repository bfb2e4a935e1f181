using System.Collections.Immutable;

namespace Berth.Network.Firewall;

/// <summary>
/// Another tool's forward chain (iptables' <c>ip filter FORWARD</c>, firewalld's <c>filter_FORWARD</c>) and Berth's
/// accept rules in it.
/// </summary>
/// <param name="Chain">As nft names it: <c>ip filter FORWARD</c>.</param>
/// <param name="Policy"><c>accept</c> or <c>drop</c>.</param>
/// <param name="CanDrop">It has a drop policy or a rule (not Berth's) that drops, rejects or jumps: Berth's traffic needs its accept rules there.</param>
/// <param name="MissingFor">Interfaces whose accept rules are not (all) there although the chain can drop; empty when all are.</param>
public sealed record ForeignChainHealth(string Chain, string? Policy, bool CanDrop, ImmutableArray<string> MissingFor);
