using System.Net;
using System.Text.Json;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Dns;
using Berth.Network.Endpoints;
using Berth.Network.Persistence;

namespace Berth.Network.Tests.Dns;

/// <summary>
/// <c>--link NAME:ALIAS</c> on user-defined networks: container-scoped aliases, resolved for the linking container
/// only, to the linked container's address on the network the link belongs to (libnetwork's endpoint aliases).
/// </summary>
public sealed class DnsLinkTests
{
    private static readonly NetworkId Front = new("f" + new string('1', 63));
    private static readonly NetworkId Back = new("b" + new string('2', 63));

    private static string Id(string prefix) => prefix + new string('0', 64 - prefix.Length);

    private static DnsEndpoint Endpoint(string id, string name, NetworkId network, string address, params string[] links) => new()
    {
        ContainerId = Id(id),
        ContainerName = name,
        NetworkId = network,
        NetworkName = network == Front ? "front" : "back",
        Links = [.. links.Select(EndpointLink.Parse)],
        IPv4 = IPAddress.Parse(address),
    };

    /// <summary>db on front and back; app on front and back linking db as "database" on front only; other on front.</summary>
    private static DnsRegistry Sample()
    {
        var registry = new DnsRegistry();
        registry.Set(Endpoint("d000", "db", Front, "10.0.0.4"));
        registry.Set(Endpoint("d000", "db", Back, "10.9.0.4"));
        registry.Set(Endpoint("a000", "app", Front, "10.0.0.2", "db:database"));
        registry.Set(Endpoint("a000", "app", Back, "10.9.0.2"));
        registry.Set(Endpoint("c000", "other", Front, "10.0.0.3"));
        return registry;
    }

    private static DnsLookup Lookup(DnsRegistry registry, string asker, string name, DnsRecordType type = DnsRecordType.A) =>
        registry.Lookup(Id(asker), new DnsQuestion(name, type));

    private static IPAddress[] Addresses(DnsLookup lookup) => [.. lookup.Answers.Select(a => a.Address!)];

    [Fact]
    public void OnlyTheLinkingContainerResolvesTheAliasToTheAddressOnTheLinksNetwork()
    {
        DnsRegistry registry = Sample();
        foreach (string name in new[] { "database", "DATABASE.", "database.front" })
        {
            DnsLookup lookup = Lookup(registry, "a000", name);
            Assert.Equal([IPAddress.Parse("10.0.0.4")], Addresses(lookup));
            Assert.Equal(name, lookup.Answers[0].Name);
        }

        // Not another container on the same network, nor the linked container itself, nor on the other network's name.
        Assert.Equal(DnsLookupKind.NotFound, Lookup(registry, "c000", "database").Kind);
        Assert.Equal(DnsLookupKind.NotFound, Lookup(registry, "d000", "database").Kind);
        Assert.Equal(DnsLookupKind.NotFound, Lookup(registry, "a000", "database.back").Kind);

        // The linked container's own name still resolves on both shared networks, as before.
        Assert.Equal([IPAddress.Parse("10.0.0.4"), IPAddress.Parse("10.9.0.4")], Addresses(Lookup(registry, "a000", "db")));
    }

    [Fact]
    public void AKnownAliasWithoutThatRecordTypeIsNoData()
    {
        Assert.Equal(DnsLookupKind.NoData, Lookup(Sample(), "a000", "database", DnsRecordType.Aaaa).Kind);
    }

    [Fact]
    public void ALinkToAContainerNotOnThatNetworkResolvesOnlyOnceItIsThere()
    {
        var registry = new DnsRegistry();
        registry.Set(Endpoint("a000", "app", Front, "10.0.0.2", "cache:kv", "ghost:nobody"));
        registry.Set(Endpoint("e000", "cache", Back, "10.9.0.5"));

        // cache is on back only: nothing answers kv for app (on front); a link to an unknown container is no error either.
        Assert.Equal(DnsLookupKind.NotFound, Lookup(registry, "a000", "kv").Kind);
        Assert.Equal(DnsLookupKind.NotFound, Lookup(registry, "a000", "nobody").Kind);

        // cache connected to front: kv answers at once with that address.
        registry.Set(Endpoint("e000", "cache", Front, "10.0.0.5"));
        Assert.Equal([IPAddress.Parse("10.0.0.5")], Addresses(Lookup(registry, "a000", "kv")));

        // Disconnected again: gone again.
        registry.RemoveEndpoint(Id("e000"), Front);
        Assert.Equal(DnsLookupKind.NotFound, Lookup(registry, "a000", "kv").Kind);
    }

    [Fact]
    public void TheLinkTargetMayBeANetworkAliasAndTheLinkAliasShadowsAnOrdinaryName()
    {
        var registry = new DnsRegistry();
        registry.Set(Endpoint("d000", "db", Front, "10.0.0.4") with { Aliases = ["primary"] });
        registry.Set(Endpoint("c000", "other", Front, "10.0.0.3"));
        registry.Set(Endpoint("a000", "app", Front, "10.0.0.2", "primary:other"));

        // For app, "other" now means primary (db); for everyone else it is still the container named other.
        Assert.Equal([IPAddress.Parse("10.0.0.4")], Addresses(Lookup(registry, "a000", "other")));
        Assert.Equal([IPAddress.Parse("10.0.0.3")], Addresses(Lookup(registry, "d000", "other")));
    }

    [Fact]
    public void LinksOfTwoNetworksAreKeptApart()
    {
        var registry = new DnsRegistry();
        registry.Set(Endpoint("d000", "db", Front, "10.0.0.4"));
        registry.Set(Endpoint("d000", "db", Back, "10.9.0.4"));
        registry.Set(Endpoint("a000", "app", Front, "10.0.0.2", "db:inFront"));
        registry.Set(Endpoint("a000", "app", Back, "10.9.0.2", "db:inBack"));

        Assert.Equal([IPAddress.Parse("10.0.0.4")], Addresses(Lookup(registry, "a000", "infront")));
        Assert.Equal([IPAddress.Parse("10.9.0.4")], Addresses(Lookup(registry, "a000", "inback")));

        // db leaves front: the front link fails, the back one still answers (moby's TestUserDefinedNetworkConnectDisconnectLink).
        registry.RemoveEndpoint(Id("d000"), Front);
        Assert.Equal(DnsLookupKind.NotFound, Lookup(registry, "a000", "infront").Kind);
        Assert.Equal([IPAddress.Parse("10.9.0.4")], Addresses(Lookup(registry, "a000", "inback")));
    }

    [Theory]
    [InlineData("db", "db", "db")]
    [InlineData("db:database", "db", "database")]
    [InlineData("/db:/app/database", "db", "database")]
    public void LinksParseAsDockerWritesThem(string value, string container, string alias)
    {
        Assert.Equal(new EndpointLink(container, alias), EndpointLink.Parse(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a:b:c")]
    [InlineData(":alias")]
    [InlineData("db:")]
    public void BadLinksAreRefused(string value)
    {
        var error = Assert.Throws<BerthException>(() => EndpointLink.Parse(value));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void AWiredEndpointKeepsItsLinksThroughTheStoreAndIntoTheResolver()
    {
        var wired = new EndpointState
        {
            EndpointId = new string('9', 64),
            ContainerId = Id("a000"),
            NetworkId = Front,
            InterfaceName = "eth0",
            IPv4 = IPPrefix.Parse("10.0.0.2/24"),
            MacAddress = "02:42:0a:00:00:02",
            Links = [new EndpointLink("db", "database")],
        };
        var stored = JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(wired, EndpointStateJsonContext.Default.EndpointState), EndpointStateJsonContext.Default.EndpointState)!;
        Assert.Equal(new EndpointLink("db", "database"), Assert.Single(stored.Links));

        var registry = new DnsRegistry();
        registry.Set(Endpoint("d000", "db", Front, "10.0.0.4"));
        registry.Set(DnsEndpoint.From(stored, "/app", "front"));
        Assert.Equal([IPAddress.Parse("10.0.0.4")], Addresses(Lookup(registry, "a000", "database")));
    }
}
