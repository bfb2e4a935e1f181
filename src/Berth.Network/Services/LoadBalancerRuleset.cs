using System.Collections.Immutable;
using System.Net;
using Berth.Linux.Nftables;

namespace Berth.Network.Services;

/// <summary>
/// The nftables text of a client's VIP load balancing, in kube-proxy's nftables shape, in Berth's own table
/// <c>ip berth-lb</c> inside the client container's namespace:
/// <code>
/// chain nat-out  { type nat hook output priority -100;       ip daddr . meta l4proto vmap @vips }
/// chain nat-pre  { type nat hook prerouting priority dstnat; ip daddr . meta l4proto vmap @vips }
/// chain filter-out { type filter hook output priority filter; ip daddr . meta l4proto vmap @no-backends }
/// chain refuse   { meta l4proto tcp reject with tcp reset; reject }
/// map vips        { type ipv4_addr . inet_proto : verdict }   # VIP . tcp : goto svc-…, VIP . udp : goto svc-…
/// map no-backends { type ipv4_addr . inet_proto : verdict }   # VIP . tcp : goto refuse
/// chain svc-&lt;hash&gt; { numgen random mod N vmap { 0 : goto ep-…, … } }
/// chain ep-&lt;hash&gt;-&lt;backend&gt; { dnat ip to &lt;backend&gt; }
/// </code>
/// Every TCP and UDP port of the VIP is balanced, and the port is kept: Docker's VIP forwards any port to the same port
/// of a task (a service reached on its own port without publishing it is the common case). A VIP without backends is in
/// <c>no-backends</c> instead: the client's connection is refused at once (a TCP reset, ICMP port unreachable) rather
/// than left to time out. A change touches only what changed: elements and the chains of the services concerned.
/// </summary>
public static class LoadBalancerRuleset
{
    public const string TableName = "berth-lb";
    public const string VipMap = "vips";
    public const string NoBackendMap = "no-backends";
    public const string RefuseChain = "refuse";

    /// <summary>
    /// NF_IP_PRI_NAT_DST (-100): nft 1.0.6 accepts the name <c>dstnat</c> only on the prerouting hook, so the output hook
    /// gets the number.
    /// </summary>
    public const int DstnatPriority = -100;

    public static readonly NftTableRef Table = new(NftFamily.Ip, TableName);

    private static readonly NftType KeyType = NftType.Of(NftBasicType.Ipv4Addr, NftBasicType.InetProto);
    private static readonly NftSelector Key = NftSelector.Concat(NftSelector.IpDaddr, NftSelector.MetaL4Proto);

    /// <summary>The protocols a VIP balances.</summary>
    private static readonly NftProtocol[] Balanced = [NftProtocol.Tcp, NftProtocol.Udp];

    /// <summary>The whole table for <paramref name="services"/>, replacing whatever the namespace had under that name.</summary>
    public static NftBatch Create(IEnumerable<LoadBalancedService> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var table = new NftTable(Table,
            chains:
            [
                new NftChain("nat-out", new NftBaseChain(NftChainType.Nat, NftHook.Output, NftPriority.Number(DstnatPriority)), [new NftRule(new NftVerdictMapLookup(Key, VipMap))]),
                new NftChain("nat-pre", new NftBaseChain(NftChainType.Nat, NftHook.Prerouting, NftPriority.Dstnat), [new NftRule(new NftVerdictMapLookup(Key, VipMap))]),
                new NftChain("filter-out", new NftBaseChain(NftChainType.Filter, NftHook.Output, NftPriority.Filter), [new NftRule(new NftVerdictMapLookup(Key, NoBackendMap))]),
                new NftChain(RefuseChain, null,
                [
                    new NftRule(new NftMatch(NftSelector.MetaL4Proto, NftProtocol.Tcp), new NftReject(TcpReset: true)),
                    new NftRule(new NftReject()),
                ]),
            ],
            maps: [NftMap.Verdicts(VipMap, KeyType), NftMap.Verdicts(NoBackendMap, KeyType)]);
        var batch = new NftBatch().ReplaceTable(table);
        foreach (var service in services)
        {
            Add(batch, service);
        }

        return batch;
    }

    /// <summary>The commands that turn <paramref name="before"/> into <paramref name="after"/> (keyed by chain); empty when equal.</summary>
    public static NftBatch Change(IReadOnlyDictionary<string, LoadBalancedService> before, IReadOnlyDictionary<string, LoadBalancedService> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var batch = new NftBatch();
        foreach (var (chain, old) in before)
        {
            if (!after.ContainsKey(chain))
            {
                Remove(batch, old);
            }
        }

        foreach (var (chain, service) in after)
        {
            if (!before.TryGetValue(chain, out var old))
            {
                Add(batch, service);
            }
            else if (!old.Equals(service))
            {
                Update(batch, old, service);
            }
        }

        return batch;
    }

    private static void Add(NftBatch batch, LoadBalancedService service)
    {
        foreach (var backend in service.Backends)
        {
            batch.AddChain(Table, BackendChain(service, backend));
        }

        batch.AddChain(Table, new NftChain(service.Chain, null, Balance(service)));
        AddElements(batch, service);
    }

    private static void Update(NftBatch batch, LoadBalancedService old, LoadBalancedService service)
    {
        foreach (var backend in service.Backends.Except(old.Backends))
        {
            batch.AddChain(Table, BackendChain(service, backend));
        }

        if (!old.Backends.SequenceEqual(service.Backends))
        {
            batch.FlushChain(Table, service.Chain);
            foreach (var rule in Balance(service))
            {
                batch.AddRule(Table, service.Chain, rule);
            }
        }

        if (!old.Vip.Equals(service.Vip) || old.Backends.IsEmpty != service.Backends.IsEmpty)
        {
            DeleteElements(batch, old);
            AddElements(batch, service);
        }

        foreach (var backend in old.Backends.Except(service.Backends))
        {
            batch.DeleteChain(Table, old.BackendChain(backend));
        }
    }

    private static void Remove(NftBatch batch, LoadBalancedService old)
    {
        DeleteElements(batch, old);
        batch.FlushChain(Table, old.Chain);
        batch.DeleteChain(Table, old.Chain);
        foreach (var backend in old.Backends)
        {
            batch.DeleteChain(Table, old.BackendChain(backend));
        }
    }

    private static void AddElements(NftBatch batch, LoadBalancedService service) => batch.AddElements(Table, MapOf(service), Elements(service));

    private static void DeleteElements(NftBatch batch, LoadBalancedService service) => batch.DeleteElements(Table, MapOf(service), Elements(service));

    private static string MapOf(LoadBalancedService service) => service.Backends.IsEmpty ? NoBackendMap : VipMap;

    private static IEnumerable<NftElement> Elements(LoadBalancedService service)
    {
        var verdict = service.Backends.IsEmpty ? NftVerdict.Goto(RefuseChain) : NftVerdict.Goto(service.Chain);
        return Balanced.Select(protocol => new NftElement(new NftConcat(new NftAddress(service.Vip), protocol), verdict));
    }

    /// <summary>The service chain's rule: one backend at random per connection; none without backends (its VIP is refused).</summary>
    private static ImmutableArray<NftRule> Balance(LoadBalancedService service) => service.Backends.IsEmpty
        ? []
        : [new NftRule(new NftNumgenVerdictMap([.. service.Backends.Select(b => NftVerdict.Goto(service.BackendChain(b)))]))];

    private static NftChain BackendChain(LoadBalancedService service, IPAddress backend) =>
        new(service.BackendChain(backend), null, [new NftRule(new NftNat(NftNatKind.Dnat, new NftAddress(backend)))]);
}
