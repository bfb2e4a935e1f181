using System.Net;
using System.Net.Sockets;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;
using static Berth.EndToEndTests.Fixtures.ContainerProbe;

namespace Berth.EndToEndTests.Networks;

/// <summary>
/// The bridge driver's isolation and policy options proven by traffic through the real docker CLI: for each, the
/// traffic that must be dropped (ping and TCP, judged within a second or two, and counted by Berth's own rule) beside
/// traffic that must pass, so a broken lab cannot pass for a working firewall.
/// </summary>
public sealed class IsolationTests : DaemonTest
{
    private const string LanPeerAddress = "10.77.0.20";
    private const string DockerHostAddress = "10.77.0.10";

    [RootFact]
    public void ContainersOnTwoBridgeNetworksCannotReachEachOther()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.180.1.0/24", "frontnet");
        daemon.DockerChecked("network", "create", "--subnet", "10.180.2.0/24", "backnet");
        daemon.DockerChecked(["run", "-d", "--name", "db", "--network", "backnet", "--ip", "10.180.2.10", "bb:latest", .. ListenCommand]);
        daemon.DockerChecked("run", "-d", "--name", "api", "--network", "backnet", "--ip", "10.180.2.11", "bb:latest", "sleep", "300");
        daemon.DockerChecked(["run", "-d", "--name", "fe", "--network", "frontnet", "--ip", "10.180.1.10", "bb:latest", .. ListenCommand]);

        // Must pass: a neighbour on backnet reaches db; fe's packets are routed out (to the LAN); db's listener answers.
        Assert.True(TalksWithin(daemon, "api", "10.180.2.10"), "api cannot talk to db on their own network: the lab is broken");
        Assert.True(Pings(daemon, "api", "10.180.2.10"), "api cannot ping db on their own network");
        Assert.True(Pings(daemon, "fe", LanPeerAddress), "fe cannot reach the LAN: routing out of frontnet is broken");

        // Must be dropped: frontnet → backnet and back, ping and TCP, by the isolation rule.
        long before = Drops(DockerHost, "inet", "isolation between networks");
        Assert.False(Pings(daemon, "fe", "10.180.2.10"), "fe (frontnet) pings db (backnet)");
        Assert.Null(Talk(daemon, "fe", "10.180.2.10"));
        Assert.False(Pings(daemon, "db", "10.180.1.10"), "db (backnet) pings fe (frontnet)");
        Assert.Null(Talk(daemon, "db", "10.180.1.10"));
        Assert.True(Drops(DockerHost, "inet", "isolation between networks") >= before + 4, "the isolation rule did not count the dropped packets");

        // Connected to backnet as well, fe reaches db there.
        daemon.DockerChecked("network", "connect", "--ip", "10.180.2.20", "backnet", "fe");
        Assert.Equal(EchoReply, Talk(daemon, "fe", "10.180.2.10"));
        Assert.True(Pings(daemon, "fe", "10.180.2.10"), "fe connected to backnet cannot ping db");

        daemon.DockerChecked("rm", "-f", "db", "api", "fe");
        daemon.DockerChecked("network", "rm", "frontnet", "backnet");
    }

    [RootFact]
    public void WithIccOffNeighboursExchangeNoIpTrafficButBothReachTheHost()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.180.3.0/24", "--gateway", "10.180.3.1", "-o", "com.docker.network.bridge.enable_icc=false", "isolated");
        daemon.DockerChecked(["run", "-d", "--name", "n1", "--network", "isolated", "--ip", "10.180.3.10", "bb:latest", .. ListenCommand]);
        daemon.DockerChecked(["run", "-d", "--name", "n2", "--network", "isolated", "--ip", "10.180.3.11", "bb:latest", .. ListenCommand]);

        // Must pass: the docker host reaches both listeners; both containers reach the gateway by ping and TCP.
        Assert.True(Poll.Until(() => Talk(DockerHost, "10.180.3.10") == EchoReply && Talk(DockerHost, "10.180.3.11") == EchoReply, TimeSpan.FromSeconds(10)),
            "the docker host cannot talk to the containers' listeners: the lab is broken");
        using var host = NetworkNamespace.OpenPath(DockerHost.NetnsPath, Runner);
        using var listener = TcpProbe.Listen(host, new IPEndPoint(IPAddress.Parse("10.180.3.1"), 9100));
        foreach (string container in (string[])["n1", "n2"])
        {
            Assert.True(Pings(daemon, container, "10.180.3.1"), $"{container} cannot ping the gateway");
            var sent = Task.Run(() => daemon.Docker("exec", container, "sh", "-c", $"echo from-{container} | nc -w 2 10.180.3.1 9100"));
            Assert.Equal($"from-{container}\n", TcpProbe.Receive(listener, TimeSpan.FromSeconds(10)));
            Assert.True(sent.Result.Succeeded, sent.Result.ToString());
        }

        // Must be dropped: any IP packet between the two, both ways, by the enable_icc=false rule.
        long before = Drops(DockerHost, "bridge", "enable_icc=false, IPv4");
        Assert.False(Pings(daemon, "n1", "10.180.3.11"), "n1 pings n2 with enable_icc=false");
        Assert.Null(Talk(daemon, "n1", "10.180.3.11"));
        Assert.False(Pings(daemon, "n2", "10.180.3.10"), "n2 pings n1 with enable_icc=false");
        Assert.Null(Talk(daemon, "n2", "10.180.3.10"));
        Assert.True(Drops(DockerHost, "bridge", "enable_icc=false, IPv4") >= before + 4, "the enable_icc=false rule did not count the dropped packets");

        daemon.DockerChecked("rm", "-f", "n1", "n2");
        daemon.DockerChecked("network", "rm", "isolated");
    }

    [RootFact]
    public void AnInternalNetworkTalksInsideButNeitherOutToNorInFromTheLan()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--internal", "--subnet", "10.180.4.0/24", "inner");
        daemon.DockerChecked("network", "create", "--subnet", "10.180.5.0/24", "outer");
        daemon.DockerChecked(["run", "-d", "--name", "i1", "--network", "inner", "--ip", "10.180.4.10", "bb:latest", .. ListenCommand]);
        daemon.DockerChecked(["run", "-d", "--name", "i2", "--network", "inner", "--ip", "10.180.4.11", "bb:latest", .. ListenCommand]);
        daemon.DockerChecked(["run", "-d", "--name", "o1", "--network", "outer", "--ip", "10.180.5.10", "bb:latest", .. ListenCommand]);

        // The LAN machine routes both subnets to the docker host, so only Berth's rules stand in the way.
        LanPeer.Ip("route", "add", "10.180.4.0/24", "via", DockerHostAddress);
        LanPeer.Ip("route", "add", "10.180.5.0/24", "via", DockerHostAddress);
        using var peer = NetworkNamespace.OpenPath(LanPeer.NetnsPath, Runner);
        using var peerListener = TcpProbe.Listen(peer, new IPEndPoint(IPAddress.Parse(LanPeerAddress), EchoPort));

        // Must pass: inside the internal network, both ways; and a container of an ordinary network to and from the LAN.
        Assert.True(TalksWithin(daemon, "i1", "10.180.4.11"), "i1 cannot talk to i2 inside the internal network");
        Assert.Equal(EchoReply, Talk(daemon, "i2", "10.180.4.10"));
        Assert.True(Pings(daemon, "i1", "10.180.4.11"), "i1 cannot ping i2 inside the internal network");
        Assert.True(Poll.Until(() => Talk(LanPeer, "10.180.5.10") == EchoReply, TimeSpan.FromSeconds(10)), "the LAN machine cannot talk to o1 on an ordinary network: the lab is broken");
        Assert.True(LanPeer.Ping("10.180.5.10"), "the LAN machine cannot ping o1");
        Assert.True(Pings(daemon, "o1", LanPeerAddress), "o1 cannot ping the LAN machine");
        var fromOuter = Task.Run(() => daemon.Docker("exec", "o1", "sh", "-c", $"echo from-o1 | nc -w 2 {LanPeerAddress} {EchoPort}"));
        Assert.Equal("from-o1\n", TcpProbe.Receive(peerListener, TimeSpan.FromSeconds(10)));
        Assert.True(fromOuter.Result.Succeeded, fromOuter.Result.ToString());

        // Must be dropped: out of the internal network to the LAN, and in from the LAN.
        long before = Drops(DockerHost, "inet", "internal network: nothing routed in");
        Assert.False(Pings(daemon, "i1", LanPeerAddress), "i1 (internal) pings the LAN machine");
        var connect = daemon.Docker("exec", "i1", "sh", "-c", $"echo leak | nc -w 2 {LanPeerAddress} {EchoPort}");
        Assert.False(connect.Succeeded, "i1 (internal) connected to the LAN machine:\n" + connect);
        Assert.False(LanPeer.Ping("10.180.4.10"), "the LAN machine pings i1 (internal)");
        Assert.Null(Talk(LanPeer, "10.180.4.10"));
        Assert.True(Drops(DockerHost, "inet", "internal network: nothing routed in") >= before + 2, "the internal network's inbound rule did not count the dropped packets");
        Assert.False(peerListener.Poll(0, SelectMode.SelectRead), "a connection from the internal network reached the LAN machine's listener");

        daemon.DockerChecked("rm", "-f", "i1", "i2", "o1");
        daemon.DockerChecked("network", "rm", "inner", "outer");
    }

    [RootFact]
    public void WithoutMasqueradeTheLanSeesTheContainersOwnAddress()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.180.6.0/24", "masq");
        daemon.DockerChecked("network", "create", "--subnet", "10.180.7.0/24", "-o", "com.docker.network.bridge.enable_ip_masquerade=false", "plain");
        daemon.DockerChecked("run", "-d", "--name", "m1", "--network", "masq", "--ip", "10.180.6.10", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "p1", "--network", "plain", "--ip", "10.180.7.10", "bb:latest", "sleep", "300");
        using var peer = NetworkNamespace.OpenPath(LanPeer.NetnsPath, Runner);
        using var listener = TcpProbe.Listen(peer, new IPEndPoint(IPAddress.Parse(LanPeerAddress), 9200));

        // Default: masqueraded, the LAN machine sees the docker host's LAN address (and needs no route back).
        Assert.Equal(IPAddress.Parse(DockerHostAddress), SourceSeenByPeer(daemon, "m1", listener));

        // Masquerade off: without a route back on the LAN machine the connection cannot be made (its replies have
        // nowhere to go: the source was not rewritten)...
        var unrouted = daemon.Docker("exec", "p1", "sh", "-c", $"echo hi | nc -w 2 {LanPeerAddress} 9200");
        Assert.False(unrouted.Succeeded, "p1 connected without masquerade and without a route back:\n" + unrouted);
        Assert.False(listener.Poll(0, SelectMode.SelectRead), "a connection from p1 was completed without a route back");

        // ...with one, it arrives from the container's own address.
        LanPeer.Ip("route", "add", "10.180.7.0/24", "via", DockerHostAddress);
        Assert.Equal(IPAddress.Parse("10.180.7.10"), SourceSeenByPeer(daemon, "p1", listener));

        daemon.DockerChecked("rm", "-f", "m1", "p1");
        daemon.DockerChecked("network", "rm", "masq", "plain");
    }

    /// <summary>Connects from <paramref name="container"/> to the LAN machine's listener; the source address the LAN machine saw.</summary>
    private static IPAddress SourceSeenByPeer(Berthd daemon, string container, Socket listener)
    {
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var sent = Task.Run(() => daemon.Docker("exec", container, "sh", "-c", $"echo from-{container} | nc -w 2 {LanPeerAddress} {port}"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var connection = listener.AcceptAsync(cancel.Token).AsTask().GetAwaiter().GetResult();
        var source = ((IPEndPoint)connection.RemoteEndPoint!).Address;
        connection.Dispose();
        Assert.True(sent.Result.Succeeded, $"{container} could not connect to the LAN machine:\n{sent.Result}");
        return source;
    }
}
