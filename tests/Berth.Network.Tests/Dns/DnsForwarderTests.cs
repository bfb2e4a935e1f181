using System.Net;
using System.Net.Sockets;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

/// <summary>Forwarding to fake upstreams on 127.0.0.1: answers relayed with the client's id, silence turned into SERVFAIL.</summary>
public sealed class DnsForwarderTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task SilentUpstreamGivesServfailAfterTheTimeout()
    {
        // Bound but never read: the query goes nowhere, as with a dead resolver.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var forwarder = new DnsForwarder([(IPEndPoint)silent.LocalEndPoint!], ShortTimeout);
        var query = new DnsQuery(0xBEEF, new DnsQuestion("example.test", DnsRecordType.A));

        var started = System.Diagnostics.Stopwatch.StartNew();
        byte[] answer = await forwarder.ForwardAsync(query, query.ToWire(), DnsTransport.Udp);

        // The timer may fire a few ms before the stopwatch says the timeout passed (seen: 298 of 300 ms); the upper
        // bound is wide for a loaded 2-core box; without the timeout it would never return.
        Assert.InRange(started.Elapsed, ShortTimeout - TimeSpan.FromMilliseconds(25), TimeSpan.FromSeconds(10));
        Assert.True(DnsResponse.TryParse(answer, out DnsResponse? response));
        Assert.Equal(DnsResponseCode.ServerFailure, response!.ResponseCode);
        Assert.Equal(0xBEEF, response.Id);
        Assert.Equal(query.Question, response.Question);
    }

    [Fact]
    public async Task AnswerIsRelayedWithTheClientsIdAndTheNextUpstreamIsTriedAfterAFailure()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var upstream = FakeUpstream.Start(IPAddress.Parse("192.0.2.55"));
        // The silent upstream costs one timeout; the answering one must answer within one, even on a busy machine.
        using var forwarder = new DnsForwarder([(IPEndPoint)silent.LocalEndPoint!, upstream.EndPoint], TimeSpan.FromSeconds(1));

        foreach (DnsTransport transport in new[] { DnsTransport.Udp, DnsTransport.Tcp })
        {
            var query = new DnsQuery(0x0102, new DnsQuestion("far.test", DnsRecordType.A));
            byte[] answer = await forwarder.ForwardAsync(query, query.ToWire(), transport);

            Assert.True(DnsResponse.TryParse(answer, out DnsResponse? response));
            Assert.Equal(0x0102, response!.Id);
            Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
            Assert.Equal(IPAddress.Parse("192.0.2.55"), Assert.Single(response.Answers).Address);
        }

        Assert.Equal(1, upstream.UdpQueries);
        Assert.Equal(1, upstream.TcpQueries);
    }

    [Fact]
    public async Task RefusedConnectionGivesServfailAtOnce()
    {
        // A port nobody listens on: ICMP port unreachable for UDP, RST for TCP.
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closed = (IPEndPoint)probe.LocalEndPoint!;
        using var forwarder = new DnsForwarder([closed], TimeSpan.FromSeconds(5));
        var query = new DnsQuery(3, new DnsQuestion("x.test", DnsRecordType.A));

        var started = System.Diagnostics.Stopwatch.StartNew();
        byte[] answer = await forwarder.ForwardAsync(query, query.ToWire(), DnsTransport.Tcp);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(4), "a refused connection waited for the timeout");
        Assert.True(DnsResponse.TryParse(answer, out DnsResponse? response));
        Assert.Equal(DnsResponseCode.ServerFailure, response!.ResponseCode);
    }
}
