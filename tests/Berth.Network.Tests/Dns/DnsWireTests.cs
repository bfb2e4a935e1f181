using System.Net;
using Berth.Network.Dns;

namespace Berth.Network.Tests.Dns;

/// <summary>Queries and answers encoded and read back, byte-level details checked against RFC 1035.</summary>
public sealed class DnsWireTests
{
    [Fact]
    public void QueryRoundTripsWithEdns()
    {
        var sent = new DnsQuery(0x1234, new DnsQuestion("Web.Example", DnsRecordType.Aaaa), RecursionDesired: true, EdnsPayloadSize: 1232);
        byte[] wire = sent.ToWire();

        Assert.Equal(DnsQueryStatus.Ok, DnsQuery.TryParse(wire, out DnsQuery? read, out ushort id));
        Assert.Equal(0x1234, id);
        Assert.Equal(sent, read);
        Assert.Equal(1232, read!.MaxResponseSize(DnsTransport.Udp));
        Assert.Equal(65535, read.MaxResponseSize(DnsTransport.Tcp));
    }

    [Fact]
    public void QueryWithoutEddnsIsLimitedTo512BytesOverUdp()
    {
        byte[] wire = new DnsQuery(7, new DnsQuestion("web", DnsRecordType.A)).ToWire();
        Assert.Equal(DnsQueryStatus.Ok, DnsQuery.TryParse(wire, out DnsQuery? read, out _));
        Assert.Null(read!.EdnsPayloadSize);
        Assert.Equal(512, read.MaxResponseSize(DnsTransport.Udp));

        // header + 3 "web" 0 + type + class: exactly what dig sends without +edns.
        Assert.Equal(new byte[] { 0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, (byte)'w', (byte)'e', (byte)'b', 0, 0, 1, 0, 1 }, wire);
    }

    [Fact]
    public void AnswerRoundTripsWithAAaaaAndPtr()
    {
        var query = new DnsQuery(42, new DnsQuestion("web", DnsRecordType.A));
        DnsRecord[] answers =
        [
            DnsRecord.ForAddress("web", IPAddress.Parse("10.0.0.2"), 600),
            DnsRecord.ForAddress("web", IPAddress.Parse("fd00::2"), 600),
            DnsRecord.ForPointer("2.0.0.10.in-addr.arpa", "web.front", 600),
        ];
        byte[] wire = DnsResponse.Build(query, DnsResponseCode.NoError, answers, DnsTransport.Udp);

        Assert.True(DnsResponse.TryParse(wire, out DnsResponse? response));
        Assert.Equal(42, response!.Id);
        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.True(response.Authoritative);
        Assert.False(response.Truncated);
        Assert.Equal(query.Question, response.Question);
        Assert.Equal(answers, response.Answers.Select(a => a with { Data = default }));
    }

    [Theory]
    [InlineData(DnsResponseCode.NameError, 3)]
    [InlineData(DnsResponseCode.ServerFailure, 2)]
    public void ErrorCodesSitInTheLowBitsOfTheFlags(DnsResponseCode code, byte rcode)
    {
        byte[] wire = DnsResponse.Build(new DnsQuery(1, new DnsQuestion("nope", DnsRecordType.A)), code, [], DnsTransport.Udp);
        Assert.Equal(rcode, wire[3] & 0xF);
        Assert.Equal(0x80, wire[2] & 0x80);
        Assert.True(DnsResponse.TryParse(wire, out DnsResponse? response));
        Assert.Equal(code, response!.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public void TooManyAnswersForUdpAreTruncatedButFitOverTcpAndEdns()
    {
        var answers = Enumerable.Range(1, 40).Select(i => DnsRecord.ForAddress("many", IPAddress.Parse("10.1.0." + i), 600)).ToArray();
        var classic = new DnsQuery(9, new DnsQuestion("many", DnsRecordType.A));

        byte[] udp = DnsResponse.Build(classic, DnsResponseCode.NoError, answers, DnsTransport.Udp);
        Assert.True(udp.Length <= 512);
        Assert.True(DnsResponse.TryParse(udp, out DnsResponse? truncated));
        Assert.True(truncated!.Truncated);
        Assert.Empty(truncated.Answers);

        byte[] tcp = DnsResponse.Build(classic, DnsResponseCode.NoError, answers, DnsTransport.Tcp);
        Assert.True(tcp.Length > 512);
        Assert.True(DnsResponse.TryParse(tcp, out DnsResponse? full));
        Assert.False(full!.Truncated);
        Assert.Equal(40, full.Answers.Length);

        byte[] edns = DnsResponse.Build(classic with { EdnsPayloadSize = 4096 }, DnsResponseCode.NoError, answers, DnsTransport.Udp);
        Assert.True(DnsResponse.TryParse(edns, out DnsResponse? big));
        Assert.False(big!.Truncated);
        Assert.Equal(40, big.Answers.Length);
    }

    [Fact]
    public void CompressedNamesInAnUpstreamAnswerAreRead()
    {
        // "a.example" answer whose record name points back at the question (0xC00C), as real servers send.
        byte[] wire =
        [
            0, 5, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
            1, (byte)'a', 7, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e', 0, 0, 1, 0, 1,
            0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 7,
        ];
        Assert.True(DnsResponse.TryParse(wire, out DnsResponse? response));
        DnsRecord answer = Assert.Single(response!.Answers);
        Assert.Equal("a.example", answer.Name);
        Assert.Equal(IPAddress.Parse("192.0.2.7"), answer.Address);
        Assert.Equal(60u, answer.Ttl);
    }

    [Fact]
    public void PointerLoopsAndShortMessagesAreRejected()
    {
        byte[] loop = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];
        Assert.Equal(DnsQueryStatus.Malformed, DnsQuery.TryParse(loop, out _, out ushort id));
        Assert.Equal(1, id);
        Assert.Equal(DnsQueryStatus.Unreadable, DnsQuery.TryParse(new byte[5], out _, out _));

        byte[] twoQuestions = new DnsQuery(3, new DnsQuestion("x", DnsRecordType.A)).ToWire();
        twoQuestions[5] = 2;
        Assert.Equal(DnsQueryStatus.Malformed, DnsQuery.TryParse(twoQuestions, out _, out _));

        byte[] notify = new DnsQuery(3, new DnsQuestion("x", DnsRecordType.A)).ToWire();
        notify[2] |= 4 << 3; // opcode 4 = NOTIFY
        Assert.Equal(DnsQueryStatus.NotImplemented, DnsQuery.TryParse(notify, out _, out _));
    }

    [Theory]
    [InlineData("10.0.0.2", "2.0.0.10.in-addr.arpa")]
    [InlineData("fd00::1:2", "2.0.0.0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa")]
    public void ReverseNamesRoundTrip(string address, string name)
    {
        Assert.Equal(name, ReverseName.For(IPAddress.Parse(address)));
        Assert.True(ReverseName.TryParse(name.ToUpperInvariant() + ".", out IPAddress? parsed));
        Assert.Equal(IPAddress.Parse(address), parsed);
        Assert.False(ReverseName.TryParse("1.2.3.in-addr.arpa", out _));
    }
}
