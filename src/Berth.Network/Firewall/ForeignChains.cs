using System.Collections.Immutable;
using Berth.Linux.Nftables;

namespace Berth.Network.Firewall;

/// <summary>
/// Berth's accept rules in other tools' forward chains. A packet is forwarded only if every base chain at the forward
/// hook lets it pass, so a drop policy in iptables' <c>ip filter FORWARD</c> (Docker sets one, as does
/// <c>iptables -P FORWARD DROP</c>) or firewalld's final reject drops Berth's traffic whatever Berth's own table says.
/// Like Docker's <c>DOCKER-USER</c> rules, Berth inserts at the top of each such chain, per bridge:
/// <code>
/// iifname "br-x" accept comment "berth:br-x"                                  # from the network (Berth's own forward chain still drops what it must)
/// oifname "br-x" meta mark and 0x00200000 != 0 accept comment "berth:br-x"    # return traffic and published ports, marked by inet berth
/// </code>
/// Both forms are ones iptables-nft can read back (<c>-i br-x -m comment …</c>, <c>-m mark ! --mark 0x0/0x200000</c>), so
/// <c>iptables -S</c> and Docker keep working on their table; a native <c>ct state</c> match would make iptables
/// refuse the whole chain ("incompatible, use 'nft' tool"). Hence the conntrack test happens in Berth's own table,
/// which sets the mark bit (<see cref="FirewallRuleset.ForwardMark"/>) before the other tools' chains run.
/// </summary>
internal static class ForeignChains
{
    /// <summary>Berth's rules in other tools' chains are found, and only they are removed, by this comment.</summary>
    public const string CommentPrefix = "berth:";

    public static string CommentOf(string bridge) => CommentPrefix + bridge;

    /// <summary>The bridge a rule was inserted for, or null when the rule is not Berth's.</summary>
    public static string? BridgeOf(NftRuleInfo rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Comment is not { } comment || !comment.StartsWith(CommentPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        string bridge = comment[CommentPrefix.Length..];
        return NftInterfaceName.IsValid(bridge) ? bridge : null;
    }

    /// <summary>The rules one bridge gets at the top of a foreign forward chain, in the order they end up there.</summary>
    public static ImmutableArray<NftRule> AcceptRules(string bridge)
    {
        var name = new NftInterfaceName(bridge);
        string comment = CommentOf(bridge);
        return
        [
            new NftRule([new NftMatch(NftSelector.Iifname, name), new NftVerdictStatement(NftVerdict.Accept)], comment),
            new NftRule([new NftMatch(NftSelector.Oifname, name), NftMarkBits.Test(FirewallRuleset.ForwardMark), new NftVerdictStatement(NftVerdict.Accept)], comment),
        ];
    }

    /// <summary>A forward filter chain of a table that is not Berth's, in a family that sees routed IP traffic.</summary>
    public static bool IsForeignForward(NftChainInfo chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        bool berths = chain.Chain.Family == FirewallRuleset.Inet.Family && chain.Chain.Table == FirewallRuleset.TableName;
        return !berths
            && chain.Chain.Family is NftFamily.Ip or NftFamily.Ip6 or NftFamily.Inet
            && chain.Hook == "forward"
            && chain.Type == "filter";
    }

    /// <summary>Whether the chain can drop a Berth packet: a drop policy, or a rule (not Berth's) that drops, rejects or jumps.</summary>
    public static bool NeedsAccept(NftChainInfo chain, IReadOnlyList<NftRuleInfo> rules)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(rules);
        return chain.Policy == "drop" || rules.Any(r => BridgeOf(r) is null && r.MayDrop);
    }

    /// <summary>
    /// The interfaces of <paramref name="bridges"/> whose accept rules are not all in a chain that
    /// <see cref="NeedsAccept"/> (none for a chain that cannot drop): what <c>berth doctor</c> reports.
    /// </summary>
    public static ImmutableArray<string> MissingAccept(NftChainInfo chain, IReadOnlyList<NftRuleInfo> rules, IEnumerable<string> bridges)
    {
        if (!NeedsAccept(chain, rules))
        {
            return [];
        }

        var ours = OursByBridge(rules);
        return [.. bridges.Where(b => !ours.TryGetValue(b, out var mine) || mine.Count != RulesPerBridge).Order(StringComparer.Ordinal)];
    }

    private static int RulesPerBridge => AcceptRules("x").Length;

    /// <summary>Berth's rules in a chain, by the bridge each was inserted for.</summary>
    private static Dictionary<string, List<NftRuleInfo>> OursByBridge(IReadOnlyList<NftRuleInfo> rules) =>
        rules.Select(r => (Rule: r, Bridge: BridgeOf(r))).Where(x => x.Bridge is not null)
            .GroupBy(x => x.Bridge!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(x => x.Rule).ToList(), StringComparer.Ordinal);

    /// <summary>
    /// The one batch that makes Berth's rules in these foreign forward chains exactly: both rules for every bridge in
    /// <paramref name="bridges"/> in each chain that <see cref="NeedsAccept"/>, nothing anywhere else. A bridge whose
    /// rules are incomplete or doubled loses them all and gets both again. Other rules are never named.
    /// </summary>
    public static NftBatch Plan(IEnumerable<(NftChainInfo Chain, IReadOnlyList<NftRuleInfo> Rules)> chains, IReadOnlySet<string> bridges)
    {
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(bridges);
        var batch = new NftBatch();
        foreach (var (chain, rules) in chains)
        {
            if (!IsForeignForward(chain))
            {
                continue;
            }

            var wanted = NeedsAccept(chain, rules) ? bridges : ImmutableHashSet<string>.Empty;
            var ours = OursByBridge(rules);
            foreach (var (bridge, mine) in ours)
            {
                if (!wanted.Contains(bridge) || mine.Count != RulesPerBridge)
                {
                    foreach (var rule in mine)
                    {
                        batch.DeleteRule(chain.Chain, rule.Handle);
                    }
                }
            }

            foreach (string bridge in wanted.Order(StringComparer.Ordinal))
            {
                if (!ours.TryGetValue(bridge, out var mine) || mine.Count != RulesPerBridge)
                {
                    // insert puts each rule at the top: insert in reverse to keep the listed order.
                    foreach (var rule in AcceptRules(bridge).Reverse())
                    {
                        batch.InsertRule(chain.Chain, rule);
                    }
                }
            }
        }

        return batch;
    }
}
