using System.Net;
using Berth.Core.Networks;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

/// <summary>
/// The allocation-free fast path (A/AAAA of a name on one of the asker's networks) against the general
/// path: the same header bits, question, records, EDNS, truncation and round robin; what it does not
/// handle falls through to the general path.
/// </summary>
public sealed class DnsFastAnswerTests
{
    private const string Asker = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
    private static readonly NetworkId Net = new(new string('f', 64));
    private static readonly NetworkId Other = new(new string('d', 64));

    private static DnsServer Server()
    {
        var registry = new DnsRegistry();
        registry.Set(new DnsEndpoint { ContainerId = Asker, ContainerName = "asker", NetworkId = Net, NetworkName = "n", IPv4 = IPAddress.Parse("10.6.0.2") });
        registry.Set(new DnsEndpoint { ContainerId = Asker, ContainerName = "asker", NetworkId = Other, NetworkName = "o", IPv4 = IPAddress.Parse("10.7.0.2") });
        registry.Set(new DnsEndpoint
        {
            ContainerId = new string('b', 64), ContainerName = "web", NetworkId = Net, NetworkName = "n",
            IPv4 = IPAddress.Parse("10.6.0.3"), IPv6 = IPAddress.Parse("fd00::3"), Aliases = ["pool"],
        });
        registry.Set(new DnsEndpoint { ContainerId = new string('c', 64), ContainerName = "web2", NetworkId = Net, NetworkName = "n", IPv4 = IPAddress.Parse("10.6.0.4"), Aliases = ["pool"] });
        for (int i = 0; i < 40; i++)
        {
            registry.Set(new DnsEndpoint { ContainerId = new string('1', 60) + i.ToString("D4"), ContainerName = $"m{i}", NetworkId = Net, NetworkName = "n", IPv4 = IPAddress.Parse($"10.6.1.{i + 1}"), Aliases = ["many"] });
        }

        return new DnsServer(registry, new DnsForwarder([]));
    }

    private static int Fast(DnsServer server, DnsQuery query, out DnsResponse? response, DnsTransport transport = DnsTransport.Udp)
    {
        var buffer = new byte[DnsWire.MaxUdpPayload];
        int length = server.TryAnswerFast(Asker, query.ToWire(), transport, buffer);
        response = null;
        if (length > 0)
        {
            Assert.True(DnsResponse.TryParse(buffer.AsSpan(0, length), out response));
        }

        return length;
    }

    [Fact]
    public async Task AnAddressQueryIsAnsweredAsTheGeneralPathAnswersIt()
    {
        await using DnsServer server = Server();
        var query = new DnsQuery(0x4242, new DnsQuestion("WeB", DnsRecordType.A), RecursionDesired: true, EdnsPayloadSize: 1232) { CheckingDisabled = true };
        Assert.True(Fast(server, query, out DnsResponse? fast) > 0);
        Assert.True(DnsResponse.TryParse(server.AnswerLocally(Asker, query.ToWire(), DnsTransport.Udp, out _), out DnsResponse? general));
        Assert.Equal(0x4242, fast!.Id);
        Assert.Equal(DnsResponseCode.NoError, fast.ResponseCode);
        Assert.True(fast.Authoritative);
        Assert.True(fast.RecursionAvailable);
        Assert.False(fast.Truncated);
        Assert.Equal(new DnsQuestion("WeB", DnsRecordType.A), fast.Question);
        var record = Assert.Single(fast.Answers);
        Assert.Equal(("WeB", DnsRecordType.A, DnsNames.RecordTtlSeconds, IPAddress.Parse("10.6.0.3")), (record.Name, record.Type, record.Ttl, record.Address));
        Assert.Equal(general!.Answers.Select(a => (a.Name, a.Type, a.Ttl, a.Address)), fast.Answers.Select(a => (a.Name, a.Type, a.Ttl, a.Address)));

        Assert.True(Fast(server, new DnsQuery(7, new DnsQuestion("web.n.", DnsRecordType.Aaaa)), out DnsResponse? v6) > 0);
        Assert.Equal(IPAddress.Parse("fd00::3"), Assert.Single(v6!.Answers).Address);

        // A known name without an address of that family: NOERROR and no records.
        Assert.True(Fast(server, new DnsQuery(8, new DnsQuestion("web2", DnsRecordType.Aaaa)), out DnsResponse? none) > 0);
        Assert.Equal(DnsResponseCode.NoError, none!.ResponseCode);
        Assert.Empty(none.Answers);
    }

    [Fact]
    public async Task ASharedAliasRotatesByOnePerQuery()
    {
        await using DnsServer server = Server();
        var firsts = new List<IPAddress?>();
        for (ushort id = 1; id <= 4; id++)
        {
            Assert.True(Fast(server, new DnsQuery(id, new DnsQuestion("pool", DnsRecordType.A)), out DnsResponse? response) > 0);
            Assert.Equal(2, response!.Answers.Length);
            firsts.Add(response.Answers[0].Address);
        }

        Assert.Equal(["10.6.0.3", "10.6.0.4", "10.6.0.3", "10.6.0.4"], firsts.Select(a => a!.ToString()));
    }

    [Fact]
    public async Task TooManyAddressesForUdpAreTruncatedButFitTcp()
    {
        await using DnsServer server = Server();
        Assert.True(Fast(server, new DnsQuery(1, new DnsQuestion("many", DnsRecordType.A)), out DnsResponse? udp) > 0);
        Assert.True(udp!.Truncated);
        Assert.Empty(udp.Answers);
        Assert.True(Fast(server, new DnsQuery(1, new DnsQuestion("many", DnsRecordType.A)), out DnsResponse? tcp, DnsTransport.Tcp) > 0);
        Assert.False(tcp!.Truncated);
        Assert.Equal(40, tcp.Answers.Length);
    }

    [Fact]
    public async Task WhatTheFastPathDoesNotHandleFallsThrough()
    {
        await using DnsServer server = Server();
        Assert.Equal(-1, Fast(server, new DnsQuery(1, new DnsQuestion("nosuch", DnsRecordType.A)), out _));
        Assert.Equal(-1, Fast(server, new DnsQuery(1, new DnsQuestion("web", DnsRecordType.Mx)), out _));
        Assert.Equal(-1, Fast(server, new DnsQuery(1, new DnsQuestion("3.0.6.10.in-addr.arpa", DnsRecordType.Ptr)), out _));

        // "asker" is a name on both of the asker's networks: the general path merges the two.
        Assert.Equal(-1, Fast(server, new DnsQuery(1, new DnsQuestion("asker", DnsRecordType.A)), out _));
        Assert.True(DnsResponse.TryParse(server.AnswerLocally(Asker, new DnsQuery(1, new DnsQuestion("asker", DnsRecordType.A)).ToWire(), DnsTransport.Udp, out _), out DnsResponse? merged));
        Assert.Equal(2, merged!.Answers.Length);

        // A response, and a header cut short, are not queries for the fast path.
        byte[] response = new DnsQuery(1, new DnsQuestion("web", DnsRecordType.A)).ToWire();
        response[2] |= 0x80;
        Assert.Equal(-1, server.TryAnswerFast(Asker, response, DnsTransport.Udp, new byte[512]));
        Assert.Equal(-1, server.TryAnswerFast(Asker, response.AsSpan(0, 11), DnsTransport.Udp, new byte[512]));
    }
}
