using System.Net;
using Berth.Core.Networks;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

/// <summary>The server's decision for one datagram, without sockets: registry answer, NXDOMAIN, FORMERR, NOTIMP, forward.</summary>
public sealed class DnsServerAnswerTests
{
    private const string Asker = "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0";
    private static readonly NetworkId Net = new(new string('e', 64));

    private static DnsServer Server(params IPEndPoint[] upstreams)
    {
        var registry = new DnsRegistry();
        registry.Set(new DnsEndpoint { ContainerId = Asker, ContainerName = "asker", NetworkId = Net, NetworkName = "n", IPv4 = IPAddress.Parse("10.5.0.2") });
        registry.Set(new DnsEndpoint { ContainerId = new string('b', 64), ContainerName = "web", NetworkId = Net, NetworkName = "n", IPv4 = IPAddress.Parse("10.5.0.3") });
        return new DnsServer(registry, new DnsForwarder(upstreams));
    }

    private static DnsResponse Parse(byte[]? wire)
    {
        Assert.NotNull(wire);
        Assert.True(DnsResponse.TryParse(wire, out DnsResponse? response));
        return response!;
    }

    [Fact]
    public async Task RegistryNamesAreAnsweredAndUnknownNamesAreNxdomainWithoutUpstreams()
    {
        await using DnsServer server = Server();
        DnsResponse web = Parse(server.AnswerLocally(Asker, new DnsQuery(1, new DnsQuestion("web", DnsRecordType.A)).ToWire(), DnsTransport.Udp, out DnsQuery? forward));
        Assert.Null(forward);
        Assert.Equal(IPAddress.Parse("10.5.0.3"), Assert.Single(web.Answers).Address);

        DnsResponse unknown = Parse(server.AnswerLocally(Asker, new DnsQuery(2, new DnsQuestion("nosuch", DnsRecordType.A)).ToWire(), DnsTransport.Udp, out forward));
        Assert.Null(forward);
        Assert.Equal(DnsResponseCode.NameError, unknown.ResponseCode);
    }

    [Fact]
    public async Task UnknownNamesGoUpstreamWhenThereIsOne()
    {
        await using DnsServer server = Server(new IPEndPoint(IPAddress.Loopback, 5353));
        Assert.Null(server.AnswerLocally(Asker, new DnsQuery(2, new DnsQuestion("far.test", DnsRecordType.A)).ToWire(), DnsTransport.Udp, out DnsQuery? forward));
        Assert.Equal("far.test", forward!.Question.Name);
    }

    [Fact]
    public async Task BrokenQueriesGetFormerrOrNotimpAndResponsesNothing()
    {
        await using DnsServer server = Server();
        byte[] broken = [0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, (byte)'a'];
        DnsResponse formerr = Parse(server.AnswerLocally(Asker, broken, DnsTransport.Udp, out _));
        Assert.Equal(DnsResponseCode.FormatError, formerr.ResponseCode);
        Assert.Equal(9, formerr.Id);

        byte[] status = new DnsQuery(4, new DnsQuestion("web", DnsRecordType.A)).ToWire();
        status[2] |= 2 << 3; // opcode 2 = STATUS
        Assert.Equal(DnsResponseCode.NotImplemented, Parse(server.AnswerLocally(Asker, status, DnsTransport.Udp, out _)).ResponseCode);

        byte[] response = DnsResponse.HeaderOnly(5, DnsResponseCode.NoError);
        Assert.Null(server.AnswerLocally(Asker, response, DnsTransport.Udp, out DnsQuery? forward));
        Assert.Null(forward);
    }
}
