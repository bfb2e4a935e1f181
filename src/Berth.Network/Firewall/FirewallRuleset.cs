using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Berth.Linux.Nftables;

namespace Berth.Network.Firewall;

/// <summary>
/// Berth's two firewall tables and what one network puts into their sets. The rules never change with the networks:
/// a network is only set elements, so adding or removing one is a few <c>add element</c>/<c>delete element</c> lines.
/// Why each rule exists and what this kernel supports: README.md next to this file.
/// </summary>
internal static class FirewallRuleset
{
    public const string TableName = "berth";

    public const string ForwardChain = "forward";
    public const string PostroutingChain = "postrouting";

    // inet berth
    public const string Bridges = "bridges";
    public const string SameBridge = "same_bridge";
    public const string InternalBridges = "internal";
    public const string MasqueradeV4 = "masq_v4";
    public const string MasqueradeV6 = "masq_v6";
    public const string OwnBridgeV4 = "own_v4";
    public const string OwnBridgeV6 = "own_v6";

    // bridge berth
    public const string NoIccV4 = "no_icc_v4";
    public const string NoIccV6 = "no_icc_v6";

    public static readonly NftTableRef Inet = new(NftFamily.Inet, TableName);
    public static readonly NftTableRef Bridge = new(NftFamily.Bridge, TableName);

    private static readonly NftType IfnamePair = NftType.Of(NftBasicType.Ifname, NftBasicType.Ifname);
    private static readonly NftType V4Pair = NftType.Of(NftBasicType.Ipv4Addr, NftBasicType.Ipv4Addr);
    private static readonly NftType V6Pair = NftType.Of(NftBasicType.Ipv6Addr, NftBasicType.Ipv6Addr);
    private static readonly NftType V4OnBridge = NftType.Of(NftBasicType.Ipv4Addr, NftBasicType.Ifname);
    private static readonly NftType V6OnBridge = NftType.Of(NftBasicType.Ipv6Addr, NftBasicType.Ifname);

    /// <summary>8 hex digits: enough to tell versions of one ruleset apart, short enough to read in a listing.</summary>
    private const int FingerprintLength = 8;

    /// <summary>
    /// A hash of the tables' shape (chains, hooks, priorities, policies, sets, rules). It is written into every rule
    /// comment, so a running table made by another Berth version is recognised by its comments and replaced.
    /// Declared before <see cref="Tables"/>: static initializers run in text order.
    /// </summary>
    public static string Fingerprint { get; } = ComputeFingerprint();

    /// <summary>Both tables as Berth wants them; every rule's comment ends with <see cref="Fingerprint"/>.</summary>
    public static ImmutableArray<NftTable> Tables { get; } = [InetTable(Comment), BridgeTable(Comment)];

    /// <summary>One transaction that installs a network: adding elements that exist is a no-op in nft.</summary>
    public static NftBatch AddBatch(BridgeRules rules)
    {
        var batch = new NftBatch();
        foreach (var (table, set, elements) in ElementsOf(rules))
        {
            batch.AddElements(table, set, elements);
        }

        return batch;
    }

    /// <summary>
    /// One transaction that removes a network whether or not its elements exist: each is added first (a no-op when
    /// present) and then deleted, so no <c>delete element</c> can fail with "No such file or directory".
    /// </summary>
    public static NftBatch RemoveBatch(BridgeRules rules)
    {
        var batch = new NftBatch();
        var sets = ElementsOf(rules);
        foreach (var (table, set, elements) in sets)
        {
            batch.AddElements(table, set, elements);
        }

        foreach (var (table, set, elements) in sets)
        {
            batch.DeleteElements(table, set, elements);
        }

        return batch;
    }

    /// <summary>Every set element a network needs, grouped by set; sets it has nothing in are left out.</summary>
    public static IReadOnlyList<(NftTableRef Table, string Set, ImmutableArray<NftElement> Elements)> ElementsOf(BridgeRules rules)
    {
        rules.Validate();
        var bridge = new NftInterfaceName(rules.Bridge);
        var v4 = rules.IPv4Subnets.Select(s => new NftPrefix(s)).ToImmutableArray();
        var v6 = rules.IPv6Subnets.Select(s => new NftPrefix(s)).ToImmutableArray();
        var result = new List<(NftTableRef, string, ImmutableArray<NftElement>)>
        {
            (Inet, Bridges, [bridge]),
            (Inet, SameBridge, [new NftConcat(bridge, bridge)]),
        };
        if (rules.Internal)
        {
            result.Add((Inet, InternalBridges, [bridge]));
        }

        if (rules.MasqueradeEffective)
        {
            Add(result, Inet, MasqueradeV4, v4.Select(p => new NftElement(p)));
            Add(result, Inet, OwnBridgeV4, v4.Select(p => new NftElement(new NftConcat(p, bridge))));
            Add(result, Inet, MasqueradeV6, v6.Select(p => new NftElement(p)));
            Add(result, Inet, OwnBridgeV6, v6.Select(p => new NftElement(new NftConcat(p, bridge))));
        }

        if (!rules.InterContainerCommunication)
        {
            Add(result, Bridge, NoIccV4, Pairs(v4));
            Add(result, Bridge, NoIccV6, Pairs(v6));
        }

        return result;
    }

    private static IEnumerable<NftElement> Pairs(ImmutableArray<NftPrefix> subnets) =>
        subnets.SelectMany(from => subnets.Select(to => new NftElement(new NftConcat(from, to))));

    private static void Add(List<(NftTableRef, string, ImmutableArray<NftElement>)> result, NftTableRef table, string set, IEnumerable<NftElement> elements)
    {
        var array = elements.ToImmutableArray();
        if (array.Length > 0)
        {
            result.Add((table, set, array));
        }
    }

    private static string ComputeFingerprint()
    {
        var shape = new NftBatch().AddTable(InetTable(_ => null)).AddTable(BridgeTable(_ => null));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(shape.Render())))[..FingerprintLength];
    }

    private static string Comment(string what) => $"berth: {what} [{Fingerprint}]";

    private static NftTable InetTable(Func<string, string?> comment)
    {
        NftRule Rule(string what, params NftStatement[] statements) => new([.. statements], comment(what));

        var forward = new NftChain(ForwardChain, new NftBaseChain(NftChainType.Filter, NftHook.Forward, NftPriority.Filter, NftPolicy.Accept),
        [
            Rule("one network's own bridged traffic (br_netfilter)",
                new NftMatch(NftSelector.Concat(NftSelector.Iifname, NftSelector.Oifname), new NftSetRef(SameBridge)),
                new NftVerdictStatement(NftVerdict.Accept)),
            Rule("internal network: nothing routed out",
                new NftMatch(NftSelector.Iifname, new NftSetRef(InternalBridges)), NftCounter.Instance, new NftVerdictStatement(NftVerdict.Drop)),
            Rule("internal network: nothing routed in",
                new NftMatch(NftSelector.Oifname, new NftSetRef(InternalBridges)), NftCounter.Instance, new NftVerdictStatement(NftVerdict.Drop)),
            Rule("return traffic",
                new NftMatch(NftSelector.CtState, new NftCtStateValue(NftCtState.Established | NftCtState.Related)), new NftVerdictStatement(NftVerdict.Accept)),
            Rule("isolation between networks",
                new NftMatch(NftSelector.Iifname, new NftSetRef(Bridges)), new NftMatch(NftSelector.Oifname, new NftSetRef(Bridges)),
                NftCounter.Instance, new NftVerdictStatement(NftVerdict.Drop)),
        ]);
        var postrouting = new NftChain(PostroutingChain, new NftBaseChain(NftChainType.Nat, NftHook.Postrouting, NftPriority.Srcnat, NftPolicy.Accept),
        [
            Rule("masquerade IPv4 leaving a network",
                new NftMatch(NftSelector.IpSaddr, new NftSetRef(MasqueradeV4)),
                new NftMatch(NftSelector.Concat(NftSelector.IpSaddr, NftSelector.Oifname), new NftSetRef(OwnBridgeV4), NftOperator.NotEqual),
                NftMasquerade.Instance),
            Rule("masquerade IPv6 leaving a network",
                new NftMatch(NftSelector.Ip6Saddr, new NftSetRef(MasqueradeV6)),
                new NftMatch(NftSelector.Concat(NftSelector.Ip6Saddr, NftSelector.Oifname), new NftSetRef(OwnBridgeV6), NftOperator.NotEqual),
                NftMasquerade.Instance),
        ]);
        return new NftTable(Inet, [forward, postrouting],
        [
            new NftSet(Bridges, NftType.Ifname),
            new NftSet(SameBridge, IfnamePair),
            new NftSet(InternalBridges, NftType.Ifname),
            new NftSet(MasqueradeV4, NftType.Ipv4Addr, NftSetFlags.Interval),
            new NftSet(MasqueradeV6, NftType.Ipv6Addr, NftSetFlags.Interval),
            new NftSet(OwnBridgeV4, V4OnBridge, NftSetFlags.Interval),
            new NftSet(OwnBridgeV6, V6OnBridge, NftSetFlags.Interval),
        ]);
    }

    private static NftTable BridgeTable(Func<string, string?> comment)
    {
        NftRule Rule(string what, params NftStatement[] statements) => new([.. statements], comment(what));

        var forward = new NftChain(ForwardChain, new NftBaseChain(NftChainType.Filter, NftHook.Forward, NftPriority.Filter, NftPolicy.Accept),
        [
            Rule("enable_icc=false, IPv4",
                new NftMatch(NftSelector.Concat(NftSelector.IpSaddr, NftSelector.IpDaddr), new NftSetRef(NoIccV4)),
                NftCounter.Instance, new NftVerdictStatement(NftVerdict.Drop)),
            Rule("enable_icc=false, IPv6",
                new NftMatch(NftSelector.Concat(NftSelector.Ip6Saddr, NftSelector.Ip6Daddr), new NftSetRef(NoIccV6)),
                NftCounter.Instance, new NftVerdictStatement(NftVerdict.Drop)),
        ]);
        return new NftTable(Bridge, [forward],
        [
            new NftSet(NoIccV4, V4Pair, NftSetFlags.Interval),
            new NftSet(NoIccV6, V6Pair, NftSetFlags.Interval),
        ]);
    }
}
