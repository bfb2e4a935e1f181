using System.Net;
using Berth.Core.Addressing;
using Berth.Core.Networks;
using Berth.Network.Endpoints;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

/// <summary>Which container sees which names: network scoping, aliases, short ids, PTR, round robin.</summary>
public sealed class DnsRegistryTests
{
    private static readonly NetworkId Front = new("f" + new string('1', 63));
    private static readonly NetworkId Back = new("b" + new string('2', 63));

    private static DnsEndpoint Endpoint(string id, string name, NetworkId network, string address, params string[] aliases) => new()
    {
        ContainerId = id + new string('0', 64 - id.Length),
        ContainerName = name,
        NetworkId = network,
        NetworkName = network == Front ? "front" : "back",
        Aliases = [.. aliases],
        IPv4 = IPAddress.Parse(address),
    };

    private static string Id(string prefix) => prefix + new string('0', 64 - prefix.Length);

    private static DnsRegistry Sample()
    {
        var registry = new DnsRegistry();
        registry.Set(Endpoint("aaaa", "web", Front, "10.0.0.2", "www"));
        registry.Set(Endpoint("bbbb", "api", Front, "10.0.0.3"));
        registry.Set(Endpoint("bbbb", "api", Back, "10.9.0.3"));
        registry.Set(Endpoint("cccc", "db", Back, "10.9.0.4"));
        return registry;
    }

    private static IPAddress[] Addresses(DnsLookup lookup) => [.. lookup.Answers.Select(a => a.Address!)];

    [Fact]
    public void NameAliasAndShortIdResolveOnASharedNetwork()
    {
        DnsRegistry registry = Sample();
        foreach (string name in new[] { "web", "WEB.", "www", "web.front", Id("aaaa")[..12] })
        {
            DnsLookup lookup = registry.Lookup(Id("bbbb"), new DnsQuestion(name, DnsRecordType.A));
            Assert.Equal(DnsLookupKind.Answered, lookup.Kind);
            Assert.Equal([IPAddress.Parse("10.0.0.2")], Addresses(lookup));
            Assert.Equal(name, lookup.Answers[0].Name);
        }
    }

    [Fact]
    public void OnlyNetworksSharedWithTheAskerAreAnswered()
    {
        DnsRegistry registry = Sample();

        // web (front only) cannot see db (back only); api sees both, each by the address on the shared network.
        Assert.Equal(DnsLookupKind.NotFound, registry.Lookup(Id("aaaa"), new DnsQuestion("db", DnsRecordType.A)).Kind);
        Assert.Equal([IPAddress.Parse("10.9.0.4")], Addresses(registry.Lookup(Id("bbbb"), new DnsQuestion("db", DnsRecordType.A))));
        Assert.Equal([IPAddress.Parse("10.0.0.3")], Addresses(registry.Lookup(Id("aaaa"), new DnsQuestion("api", DnsRecordType.A))));
        Assert.Equal([IPAddress.Parse("10.9.0.3")], Addresses(registry.Lookup(Id("cccc"), new DnsQuestion("api", DnsRecordType.A))));

        // An asker the registry does not know gets nothing from it.
        Assert.Equal(DnsLookupKind.NotFound, registry.Lookup(Id("ffff"), new DnsQuestion("web", DnsRecordType.A)).Kind);
    }

    [Fact]
    public void KnownNameWithoutThatTypeIsNoDataNotForwarded()
    {
        DnsRegistry registry = Sample();
        Assert.Equal(DnsLookupKind.NoData, registry.Lookup(Id("bbbb"), new DnsQuestion("web", DnsRecordType.Aaaa)).Kind);
        Assert.Equal(DnsLookupKind.NoData, registry.Lookup(Id("bbbb"), new DnsQuestion("web", DnsRecordType.Mx)).Kind);
    }

    [Fact]
    public void SharedAliasGivesEveryAddressRotatedPerQuery()
    {
        var registry = new DnsRegistry();
        registry.Set(Endpoint("aaaa", "client", Front, "10.0.0.9"));
        registry.Set(Endpoint("d001", "w1", Front, "10.0.0.21", "pool"));
        registry.Set(Endpoint("d002", "w2", Front, "10.0.0.22", "pool"));
        registry.Set(Endpoint("d003", "w3", Front, "10.0.0.23", "pool"));

        var firsts = new List<IPAddress>();
        for (int i = 0; i < 3; i++)
        {
            IPAddress[] addresses = Addresses(registry.Lookup(Id("aaaa"), new DnsQuestion("pool", DnsRecordType.A)));
            Assert.Equal(3, addresses.Length);
            Assert.Equal(["10.0.0.21", "10.0.0.22", "10.0.0.23"], addresses.Select(a => a.ToString()).Order());
            firsts.Add(addresses[0]);
        }

        // Three queries, three different first addresses: round robin, not a fixed order.
        Assert.Equal(3, firsts.Distinct().Count());
    }

    [Fact]
    public void PtrAnswersNameDotNetworkOnlyOnASharedNetwork()
    {
        DnsRegistry registry = Sample();
        DnsLookup lookup = registry.Lookup(Id("bbbb"), new DnsQuestion("4.0.9.10.in-addr.arpa", DnsRecordType.Ptr));
        Assert.Equal("db.back", Assert.Single(lookup.Answers).Target);
        Assert.Equal(DnsLookupKind.NotFound, registry.Lookup(Id("aaaa"), new DnsQuestion("4.0.9.10.in-addr.arpa", DnsRecordType.Ptr)).Kind);
        Assert.Equal(DnsLookupKind.NotFound, registry.Lookup(Id("bbbb"), new DnsQuestion("8.8.8.8.in-addr.arpa", DnsRecordType.Ptr)).Kind);
    }

    [Fact]
    public void RemovalsReplaceTheSnapshotAndOldSnapshotsStayIntact()
    {
        DnsRegistry registry = Sample();
        DnsNames before = registry.Current;

        registry.RemoveEndpoint(Id("bbbb"), Back);
        Assert.Equal(DnsLookupKind.NotFound, registry.Lookup(Id("bbbb"), new DnsQuestion("db", DnsRecordType.A)).Kind);
        Assert.Equal(DnsLookupKind.Answered, registry.Lookup(Id("bbbb"), new DnsQuestion("web", DnsRecordType.A)).Kind);

        registry.RemoveContainer(Id("aaaa"));
        Assert.Equal(DnsLookupKind.NotFound, registry.Lookup(Id("bbbb"), new DnsQuestion("web", DnsRecordType.A)).Kind);
        Assert.False(registry.Current.Knows(Id("aaaa")));

        // A reader holding the old snapshot still sees the old world whole.
        Assert.Equal(DnsLookupKind.Answered, before.Lookup(Id("bbbb"), new DnsQuestion("db", DnsRecordType.A)).Kind);
        Assert.Equal(4, before.Endpoints.Count);
    }

    [Fact]
    public void SetContainerReplacesAllOfAContainersEndpointsAtOnce()
    {
        DnsRegistry registry = Sample();

        // api renamed to gateway and no longer on back: one snapshot, no other container touched.
        registry.SetContainer(Id("bbbb"), [Endpoint("bbbb", "gateway", Front, "10.0.0.3")]);
        Assert.Equal(DnsLookupKind.NotFound, registry.Lookup(Id("aaaa"), new DnsQuestion("api", DnsRecordType.A)).Kind);
        Assert.Equal([IPAddress.Parse("10.0.0.3")], Addresses(registry.Lookup(Id("aaaa"), new DnsQuestion("gateway", DnsRecordType.A))));
        Assert.Equal(DnsLookupKind.NotFound, registry.Lookup(Id("cccc"), new DnsQuestion("gateway", DnsRecordType.A)).Kind);
        Assert.Equal([IPAddress.Parse("10.0.0.2")], Addresses(registry.Lookup(Id("bbbb"), new DnsQuestion("web", DnsRecordType.A))));
        Assert.Equal(3, registry.Current.Endpoints.Count);
    }

    [Fact]
    public void ConcurrentChangesAreNotLost()
    {
        var registry = new DnsRegistry();
        Parallel.For(0, 200, i => registry.Set(Endpoint("e" + i.ToString("x4", System.Globalization.CultureInfo.InvariantCulture), "c" + i, Front, "10.2." + (i / 250) + "." + (i % 250 + 1))));
        Assert.Equal(200, registry.Current.Endpoints.Count);
    }

    [Fact]
    public void WiredEndpointMapsToItsNamesAndAddresses()
    {
        var wired = new EndpointState
        {
            EndpointId = new string('9', 64),
            ContainerId = Id("abcdef123456"),
            NetworkId = Front,
            InterfaceName = "eth0",
            IPv4 = IPPrefix.Parse("10.0.0.7/24"),
            IPv6 = IPPrefix.Parse("fd00::7/64"),
            MacAddress = "02:42:0a:00:00:07",
            Aliases = ["cache"],
        };
        var registry = new DnsRegistry();
        registry.Set(Endpoint("aaaa", "client", Front, "10.0.0.9"));
        registry.Set(DnsEndpoint.From(wired, "/redis", "front"));

        foreach (string name in new[] { "redis", "cache", "abcdef123456", "redis.front" })
        {
            Assert.Equal([IPAddress.Parse("10.0.0.7")], Addresses(registry.Lookup(Id("aaaa"), new DnsQuestion(name, DnsRecordType.A))));
            Assert.Equal([IPAddress.Parse("fd00::7")], Addresses(registry.Lookup(Id("aaaa"), new DnsQuestion(name, DnsRecordType.Aaaa))));
        }

        DnsLookup ptr = registry.Lookup(Id("aaaa"), new DnsQuestion(ReverseName.For(IPAddress.Parse("fd00::7")), DnsRecordType.Ptr));
        Assert.Equal("redis.front", Assert.Single(ptr.Answers).Target);
    }
}
