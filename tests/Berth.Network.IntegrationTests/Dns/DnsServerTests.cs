using System.Net;
using System.Net.Sockets;
using Berth.Core.Networks;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;
using Berth.Network.Dns;
using Berth.Network.Tests.Dns;

namespace Berth.Network.IntegrationTests.Dns;

/// <summary>
/// The embedded resolver serving lab namespaces that stand for containers: sockets at 127.0.0.11:53
/// opened inside each, names answered per shared network, the rest forwarded to an upstream on the
/// test's own loopback, SERVFAIL when that upstream is dead.
/// </summary>
public sealed class DnsServerTests : LabTest
{
    private const string FrontName = "front";
    private const string BackName = "back";
    private static readonly NetworkId Front = new(new string('f', 64));
    private static readonly NetworkId Back = new(new string('b', 64));
    private static readonly string AskerId = "a1" + new string('0', 62);
    private static readonly string OtherId = "c2" + new string('0', 62);

    private static DnsRegistry Registry()
    {
        var registry = new DnsRegistry();
        registry.Set(new DnsEndpoint { ContainerId = AskerId, ContainerName = "asker", NetworkId = Front, NetworkName = FrontName, IPv4 = IPAddress.Parse("10.140.0.2") });
        registry.Set(new DnsEndpoint { ContainerId = "e1" + new string('0', 62), ContainerName = "web1", NetworkId = Front, NetworkName = FrontName, Aliases = ["web"], IPv4 = IPAddress.Parse("10.140.0.3") });
        registry.Set(new DnsEndpoint { ContainerId = "e2" + new string('0', 62), ContainerName = "web2", NetworkId = Front, NetworkName = FrontName, Aliases = ["web"], IPv4 = IPAddress.Parse("10.140.0.4") });
        registry.Set(new DnsEndpoint { ContainerId = OtherId, ContainerName = "db", NetworkId = Back, NetworkName = BackName, IPv4 = IPAddress.Parse("10.141.0.2") });
        return registry;
    }

    private static string[] Addresses(DnsResponse response) => [.. response.Answers.Select(a => a.Address!.ToString())];

    [RootFact]
    public async Task NamesAreAnsweredPerSharedNetworkOverUdpAndTcp()
    {
        var lab = NewLab();
        using var asker = NetworkNamespace.OpenPath(lab.AddHost("asker").NetnsPath, Runner);
        LabHost otherHost = lab.AddHost("db");
        using var other = NetworkNamespace.OpenPath(otherHost.NetnsPath, Runner);
        using var forwarder = new DnsForwarder([]);
        await using var server = new DnsServer(Registry(), forwarder, Runner);
        await server.AttachAsync(AskerId, asker.Handle);
        await server.AttachAsync(OtherId, other.Handle);

        // An alias shared by two containers: both addresses, over UDP and TCP, in rotating order.
        var firsts = new HashSet<string>();
        foreach (DnsTransport transport in new[] { DnsTransport.Udp, DnsTransport.Tcp, DnsTransport.Udp })
        {
            DnsResponse web = DnsProbe.Answer(asker, "web", DnsRecordType.A, transport);
            Assert.Equal(DnsResponseCode.NoError, web.ResponseCode);
            Assert.Equal(["10.140.0.3", "10.140.0.4"], Addresses(web).Order());
            firsts.Add(Addresses(web)[0]);
        }

        Assert.Equal(2, firsts.Count);
        Assert.Equal(["10.140.0.3"], Addresses(DnsProbe.Answer(asker, "web1.front")));
        Assert.Equal("web2.front", Assert.Single(DnsProbe.Answer(asker, "4.0.140.10.in-addr.arpa", DnsRecordType.Ptr).Answers).Target);

        // Networks not shared: each side gets NXDOMAIN for the other (no upstream to ask).
        Assert.Equal(DnsResponseCode.NameError, DnsProbe.Answer(asker, "db").ResponseCode);
        Assert.Equal(DnsResponseCode.NameError, DnsProbe.Answer(other, "web").ResponseCode);
        Assert.Equal(["10.141.0.2"], Addresses(DnsProbe.Answer(other, "db", DnsRecordType.A, DnsTransport.Tcp)));

        // The stub resolver of a real tool, run inside the namespace.
        CmdResult nslookup = otherHost.Exec("busybox", "nslookup", "-type=a", "db", "127.0.0.11");
        Assert.True(nslookup.Succeeded, nslookup.ToString());
        Assert.Contains("10.141.0.2", nslookup.ToString(), StringComparison.Ordinal);

        // Detached: the socket is gone from the namespace at once.
        await server.DetachAsync(AskerId);
        var (gone, error) = DnsProbe.Ask(asker, "web", DnsRecordType.A, DnsTransport.Udp, TimeSpan.FromSeconds(2));
        Assert.Null(gone);
        Assert.Equal(SocketError.ConnectionRefused, error);
        Assert.Equal([OtherId], server.Attached);
    }

    [RootFact]
    public async Task UnknownNamesAreForwardedToAnUpstreamOnTheHostLoopback()
    {
        var lab = NewLab();
        using var asker = NetworkNamespace.OpenPath(lab.AddHost("asker").NetnsPath, Runner);
        await using var upstream = FakeUpstream.Start(IPAddress.Parse("192.0.2.77"));
        using var forwarder = new DnsForwarder([upstream.EndPoint]);
        await using var server = new DnsServer(Registry(), forwarder, Runner);
        await server.AttachAsync(AskerId, asker.Handle);

        // 127.0.0.1 inside the namespace is the namespace's own loopback: the answer can only have come
        // through berthd's forwarder in the host namespace.
        Assert.Equal(["192.0.2.77"], Addresses(DnsProbe.Answer(asker, "far.test")));
        Assert.Equal(["192.0.2.77"], Addresses(DnsProbe.Answer(asker, "far.test", DnsRecordType.A, DnsTransport.Tcp)));
        Assert.Equal(["10.140.0.3"], Addresses(DnsProbe.Answer(asker, "web1")));
        Assert.Equal(1, upstream.UdpQueries);
        Assert.Equal(1, upstream.TcpQueries);
    }

    [RootFact]
    public async Task DeadUpstreamGivesServfailInsideTheContainer()
    {
        var lab = NewLab();
        using var asker = NetworkNamespace.OpenPath(lab.AddHost("asker").NetnsPath, Runner);
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var forwarder = new DnsForwarder([(IPEndPoint)silent.LocalEndPoint!], TimeSpan.FromMilliseconds(300));
        await using var server = new DnsServer(Registry(), forwarder, Runner);
        await server.AttachAsync(AskerId, asker.Handle);

        DnsResponse response = DnsProbe.Answer(asker, "far.test");
        Assert.Equal(DnsResponseCode.ServerFailure, response.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [RootFact]
    public async Task PortTakenInTheNamespaceIsAClearUnavailableError()
    {
        var lab = NewLab();
        using var asker = NetworkNamespace.OpenPath(lab.AddHost("asker").NetnsPath, Runner);
        using var forwarder = new DnsForwarder([]);
        await using var first = new DnsServer(Registry(), forwarder, Runner);
        await using var second = new DnsServer(Registry(), forwarder, Runner);
        await first.AttachAsync(AskerId, asker.Handle);

        var error = await Assert.ThrowsAsync<Berth.Core.Errors.BerthException>(() => second.AttachAsync(AskerId, asker.Handle));
        Assert.Equal(Berth.Core.Errors.ErrorKind.Unavailable, error.Kind);
        Assert.Contains("127.0.0.11:53", error.Message, StringComparison.Ordinal);
        Assert.Empty(second.Attached);

        // The first resolver is untouched by the failed attempt.
        Assert.Equal(DnsResponseCode.NoError, DnsProbe.Answer(asker, "web1").ResponseCode);
    }
}
