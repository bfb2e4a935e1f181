using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Net;
using Berth.Core.Ports;
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
    public const string PreroutingChain = "prerouting";
    public const string OutputChain = "output";
    public const string GuardChain = "guard";
    public const string MarkChain = "mark_published";
    public const string ForwardMarkChain = "mark_forward";

    /// <summary>
    /// The packet mark bit that tells the bridge family a frame belongs to a published-port connection: with
    /// br_netfilter a DNATed frame between two containers of one bridge is bridged straight across, through the
    /// bridge forward hook where <c>enable_icc=false</c> would drop it, and this kernel has no conntrack in the
    /// bridge family to ask. One bit, or-ed in: other software's mark bits are left as they are.
    /// </summary>
    public const uint PublishedMark = 0x00100000;

    /// <summary>
    /// The packet mark bit Berth's <c>mark_forward</c> chain sets on forwarded packets it accepts towards a bridge
    /// (return traffic, published ports) before other tools' forward chains run, so that Berth's accept rule in those
    /// chains (<see cref="ForeignChains"/>) can stay a plain mark test that iptables-nft can read. Or-ed in, like
    /// <see cref="PublishedMark"/>.
    /// </summary>
    public const uint ForwardMark = 0x00200000;

    /// <summary>Before iptables' FORWARD (priority filter) and firewalld's filter_FORWARD (filter + 10).</summary>
    private const int ForwardMarkPriorityOffset = -10;

    // inet berth
    public const string Bridges = "bridges";

    /// <summary>
    /// Interfaces through which routed traffic enters Berth's networks without being a bridge of theirs (the routing
    /// mesh's entry, <c>ingress0</c>): marked and let through other tools' forward chains as bridges are, never isolated.
    /// </summary>
    public const string Entries = "entries";
    public const string SameBridge = "same_bridge";
    public const string InternalBridges = "internal";
    public const string MasqueradeV4 = "masq_v4";
    public const string MasqueradeV6 = "masq_v6";
    public const string OwnBridgeV4 = "own_v4";
    public const string OwnBridgeV6 = "own_v6";
    public const string SubnetsV4 = "subnets_v4";
    public const string SubnetsV6 = "subnets_v6";

    // inet berth: published ports (PortForward), key → container address . port
    public const string PortsAnyV4 = "ports_any_v4";
    public const string PortsAnyV6 = "ports_any_v6";
    public const string PortsAddrV4 = "ports_addr_v4";
    public const string PortsAddrV6 = "ports_addr_v6";

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
    private static readonly NftType ProtoPort = NftType.Of(NftBasicType.InetProto, NftBasicType.InetService);
    private static readonly NftType V4ProtoPort = NftType.Of(NftBasicType.Ipv4Addr, NftBasicType.InetProto, NftBasicType.InetService);
    private static readonly NftType V6ProtoPort = NftType.Of(NftBasicType.Ipv6Addr, NftBasicType.InetProto, NftBasicType.InetService);
    private static readonly NftType V4Port = NftType.Of(NftBasicType.Ipv4Addr, NftBasicType.InetService);
    private static readonly NftType V6Port = NftType.Of(NftBasicType.Ipv6Addr, NftBasicType.InetService);
    private static readonly NftPrefix LoopbackV4 = new(IPNetwork.Parse("127.0.0.0/8"));
    private static readonly NftPrefix LoopbackV6 = new(IPNetwork.Parse("::1/128"));

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
        Add(result, Inet, SubnetsV4, v4.Select(p => new NftElement(new NftConcat(p, bridge))));
        Add(result, Inet, SubnetsV6, v6.Select(p => new NftElement(new NftConcat(p, bridge))));
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

    /// <summary>The map a published port lives in and its element (key → container address . port).</summary>
    public static (string Map, NftElement Element) PortElement(PublishedPort port)
    {
        var protocol = port.Port.Protocol == PortProtocol.Udp ? NftProtocol.Udp : NftProtocol.Tcp;
        var hostPort = new NftPort(port.HostPort);
        var data = new NftConcat(new NftAddress(port.ContainerAddress), new NftPort(port.Port.Number));
        return port.AnyAddress
            ? (port.IsIPv6 ? PortsAnyV6 : PortsAnyV4, new NftElement(new NftConcat(protocol, hostPort), data))
            : (port.IsIPv6 ? PortsAddrV6 : PortsAddrV4, new NftElement(new NftConcat(new NftAddress(port.HostIp), protocol, hostPort), data));
    }

    /// <summary>The published ports' elements grouped by map.</summary>
    public static IEnumerable<(string Map, ImmutableArray<NftElement> Elements)> PortElements(IEnumerable<PublishedPort> ports) =>
        ports.Select(PortElement).GroupBy(e => e.Map, StringComparer.Ordinal).Select(g => (g.Key, g.Select(e => e.Element).ToImmutableArray()));

    /// <summary>Every map of published ports.</summary>
    public static IReadOnlyList<string> PortMaps { get; } = [PortsAnyV4, PortsAnyV6, PortsAddrV4, PortsAddrV6];

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
            Rule("published ports: reachable from every network, as from outside",
                new NftMatch(NftSelector.CtStatus, NftSymbol.Dnat), new NftVerdictStatement(NftVerdict.Accept)),
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
            Rule("published port reached from the host's loopback",
                new NftMatch(NftSelector.CtStatus, NftSymbol.Dnat), new NftMatch(NftSelector.IpSaddr, LoopbackV4), NftMasquerade.Instance),
            Rule("published port reached from its own network (hairpin), IPv4",
                new NftMatch(NftSelector.CtStatus, NftSymbol.Dnat),
                new NftMatch(NftSelector.Concat(NftSelector.IpSaddr, NftSelector.Oifname), new NftSetRef(SubnetsV4)), NftMasquerade.Instance),
            Rule("published port reached from its own network (hairpin), IPv6",
                new NftMatch(NftSelector.CtStatus, NftSymbol.Dnat),
                new NftMatch(NftSelector.Concat(NftSelector.Ip6Saddr, NftSelector.Oifname), new NftSetRef(SubnetsV6)), NftMasquerade.Instance),
        ]);
        var prerouting = new NftChain(PreroutingChain, new NftBaseChain(NftChainType.Nat, NftHook.Prerouting, NftPriority.Dstnat, NftPolicy.Accept),
        [
            Rule("loopback destinations are never translated for packets from outside",
                new NftMatch(NftSelector.IpDaddr, LoopbackV4), new NftVerdictStatement(NftVerdict.Return)),
            Rule("loopback destinations are never translated for packets from outside, IPv6",
                new NftMatch(NftSelector.Ip6Daddr, LoopbackV6), new NftVerdictStatement(NftVerdict.Return)),
            .. PublishRules(Rule),
        ]);
        var output = new NftChain(OutputChain, new NftBaseChain(NftChainType.Nat, NftHook.Output, NftPriority.Number(-100), NftPolicy.Accept),
            [.. PublishRules(Rule)]);
        var marking = new NftChain(MarkChain, new NftBaseChain(NftChainType.Filter, NftHook.Prerouting, NftPriority.Named(NftPriorityName.Dstnat, 10), NftPolicy.Accept),
        [
            Rule("mark packets of published-port connections (the bridge family has no conntrack here)",
                new NftMatch(NftSelector.CtStatus, NftSymbol.Dnat), NftMarkBits.Set(PublishedMark)),
        ]);
        var forwardMarking = new NftChain(ForwardMarkChain,
            new NftBaseChain(NftChainType.Filter, NftHook.Forward, NftPriority.Named(NftPriorityName.Filter, ForwardMarkPriorityOffset), NftPolicy.Accept),
        [
            Rule("mark return traffic into a network for other tables' forward chains",
                new NftMatch(NftSelector.Oifname, new NftSetRef(Bridges)),
                new NftMatch(NftSelector.CtState, new NftCtStateValue(NftCtState.Established | NftCtState.Related)), NftMarkBits.Set(ForwardMark)),
            Rule("mark published-port traffic into a network for other tables' forward chains",
                new NftMatch(NftSelector.Oifname, new NftSetRef(Bridges)),
                new NftMatch(NftSelector.CtStatus, NftSymbol.Dnat), NftMarkBits.Set(ForwardMark)),
            Rule("mark return traffic through an entry for other tables' forward chains",
                new NftMatch(NftSelector.Oifname, new NftSetRef(Entries)),
                new NftMatch(NftSelector.CtState, new NftCtStateValue(NftCtState.Established | NftCtState.Related)), NftMarkBits.Set(ForwardMark)),
            Rule("mark routing-mesh traffic through an entry for other tables' forward chains",
                new NftMatch(NftSelector.Oifname, new NftSetRef(Entries)),
                new NftMatch(NftSelector.CtStatus, NftSymbol.Dnat), NftMarkBits.Set(ForwardMark)),
        ]);
        var guard = new NftChain(GuardChain, new NftBaseChain(NftChainType.Filter, NftHook.Prerouting, NftPriority.Named(NftPriorityName.Raw), NftPolicy.Accept),
        [
            Rule("no way from a network to the host's loopback (route_localnet is on for published ports)",
                new NftMatch(NftSelector.Iifname, new NftSetRef(Bridges)), new NftMatch(NftSelector.IpDaddr, LoopbackV4),
                NftCounter.Instance, new NftVerdictStatement(NftVerdict.Drop)),
        ]);
        return new NftTable(Inet, [forward, postrouting, prerouting, output, marking, forwardMarking, guard],
        [
            new NftSet(Bridges, NftType.Ifname),
            new NftSet(Entries, NftType.Ifname),
            new NftSet(SameBridge, IfnamePair),
            new NftSet(InternalBridges, NftType.Ifname),
            new NftSet(MasqueradeV4, NftType.Ipv4Addr, NftSetFlags.Interval),
            new NftSet(MasqueradeV6, NftType.Ipv6Addr, NftSetFlags.Interval),
            new NftSet(OwnBridgeV4, V4OnBridge, NftSetFlags.Interval),
            new NftSet(OwnBridgeV6, V6OnBridge, NftSetFlags.Interval),
            new NftSet(SubnetsV4, V4OnBridge, NftSetFlags.Interval),
            new NftSet(SubnetsV6, V6OnBridge, NftSetFlags.Interval),
        ],
        [
            new NftMap(PortsAnyV4, ProtoPort, V4Port),
            new NftMap(PortsAnyV6, ProtoPort, V6Port),
            new NftMap(PortsAddrV4, V4ProtoPort, V4Port),
            new NftMap(PortsAddrV6, V6ProtoPort, V6Port),
        ]);
    }

    /// <summary>
    /// Destination NAT of published ports, the same in prerouting (from outside and from containers) and output (from
    /// the host itself): a port bound to one address first, then ports bound to every address of the host.
    /// </summary>
    private static NftRule[] PublishRules(Func<string, NftStatement[], NftRule> rule) =>
    [
        rule("published ports bound to one address, IPv4",
            [new NftNatMap(NftNatKind.Dnat, ipv6: false, NftSelector.Concat(NftSelector.IpDaddr, NftSelector.MetaL4Proto, NftSelector.ThDport), PortsAddrV4)]),
        rule("published ports bound to every address, IPv4",
            [new NftMatch(NftSelector.FibDaddrType, NftSymbol.Local),
             new NftNatMap(NftNatKind.Dnat, ipv6: false, NftSelector.Concat(NftSelector.MetaL4Proto, NftSelector.ThDport), PortsAnyV4)]),
        rule("published ports bound to one address, IPv6",
            [new NftNatMap(NftNatKind.Dnat, ipv6: true, NftSelector.Concat(NftSelector.Ip6Daddr, NftSelector.MetaL4Proto, NftSelector.ThDport), PortsAddrV6)]),
        rule("published ports bound to every address, IPv6",
            [new NftMatch(NftSelector.FibDaddrType, NftSymbol.Local),
             new NftNatMap(NftNatKind.Dnat, ipv6: true, NftSelector.Concat(NftSelector.MetaL4Proto, NftSelector.ThDport), PortsAnyV6)]),
    ];

    private static NftTable BridgeTable(Func<string, string?> comment)
    {
        NftRule Rule(string what, params NftStatement[] statements) => new([.. statements], comment(what));

        var forward = new NftChain(ForwardChain, new NftBaseChain(NftChainType.Filter, NftHook.Forward, NftPriority.Filter, NftPolicy.Accept),
        [
            Rule("published ports stay reachable from neighbours (br_netfilter bridges a DNATed frame straight across)",
                NftMarkBits.Test(PublishedMark), new NftVerdictStatement(NftVerdict.Accept)),
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
