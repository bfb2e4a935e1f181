using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using static Berth.EndToEndTests.Fixtures.Nslookup;

namespace Berth.EndToEndTests.Networks;

/// <summary>
/// The embedded resolver over TCP (a connection to 127.0.0.11:53 opened by the test inside a container's namespace)
/// and on a macvlan network (containers resolving each other by name and alias, and reaching each other by name).
/// </summary>
public sealed class EmbeddedDnsTcpAndMacvlanTests : DaemonTest
{
    private const int NoError = 0;
    private const int NxDomain = 3;

    private static readonly string[] Upstream = ["--dns", "127.0.0.1"];

    [RootFact]
    public void OverTcpTheResolverAnswersNamesAliasesAndForwardsTheRest()
    {
        var daemon = StartDaemon(Upstream);
        using var upstream = new TestDnsUpstream(DockerHost);
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.182.0.0/24", "tcpnet");
        daemon.DockerChecked("network", "create", "--subnet", "10.183.0.0/24", "elsewhere");
        daemon.DockerChecked("run", "-d", "--name", "alpha", "--network", "tcpnet", "--ip", "10.182.0.10", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "bravo", "--network", "tcpnet", "--ip", "10.182.0.11", "--network-alias", "web", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "charlie", "--network", "tcpnet", "--ip", "10.182.0.12", "--network-alias", "web", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "stranger", "--network", "elsewhere", "--ip", "10.183.0.10", "bb:latest", "sleep", "300");

        // Four queries pipelined on one connection from alpha's namespace.
        using (var alpha = new TcpDnsClient(PidOf(daemon, "alpha"), Runner))
        {
            var answers = alpha.QueryA("bravo", "web", "charlie.tcpnet", TestDnsUpstream.KnownName);
            Assert.Equal(NoError, answers["bravo"].ResponseCode);
            Assert.Equal(["10.182.0.11"], answers["bravo"].Addresses);
            Assert.Equal(["10.182.0.11", "10.182.0.12"], answers["web"].Addresses);
            Assert.Equal(["10.182.0.12"], answers["charlie.tcpnet"].Addresses);

            // Not a container name: forwarded to the upstream, over TCP too.
            Assert.Equal([TestDnsUpstream.KnownAddress.ToString()], answers[TestDnsUpstream.KnownName].Addresses);
            Assert.True(upstream.TcpQueries > 0, "the forwarded query did not reach the upstream over TCP");

            // The same connection stays open for more.
            Assert.Equal(NxDomain, alpha.QueryA("nosuch.test")["nosuch.test"].ResponseCode);
        }

        // A container on another network does not see tcpnet's names over TCP either.
        using (var stranger = new TcpDnsClient(PidOf(daemon, "stranger"), Runner))
        {
            var answer = stranger.QueryA("bravo")["bravo"];
            Assert.Equal(NxDomain, answer.ResponseCode);
            Assert.Empty(answer.Addresses);
        }

        daemon.DockerChecked("rm", "-f", "alpha", "bravo", "charlie", "stranger");
        daemon.DockerChecked("network", "rm", "tcpnet", "elsewhere");
    }

    [RootFact]
    public void ContainersOnAMacvlanNetworkResolveEachOtherByNameAndAlias()
    {
        var daemon = StartDaemon(Upstream);
        using var upstream = new TestDnsUpstream(DockerHost);
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "-d", "macvlan", "--subnet", "10.77.0.0/24", "--ip-range", "10.77.0.64/28", "-o", "parent=eth0", "lan");
        daemon.DockerChecked("run", "-d", "--name", "printer", "--network", "lan", "--ip", "10.77.0.65", "--network-alias", "lp", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "scanner", "--network", "lan", "--ip", "10.77.0.66", "--network-alias", "scan", "bb:latest", "sleep", "300");

        string resolv = daemon.DockerChecked("exec", "printer", "cat", "/etc/resolv.conf").Output;
        Assert.Contains("nameserver 127.0.0.11\n", resolv, StringComparison.Ordinal);
        Assert.Equal(["10.77.0.66"], Addresses(daemon, "printer", "scanner"));
        Assert.Equal(["10.77.0.66"], Addresses(daemon, "printer", "scan"));
        Assert.Equal(["10.77.0.65"], Addresses(daemon, "scanner", "printer"));
        Assert.Equal(["10.77.0.65"], Addresses(daemon, "scanner", "lp"));
        Assert.Equal(["10.77.0.65"], Addresses(daemon, "scanner", "printer.lan"));

        // The names are usable: a ping by alias reaches the other container across the parent.
        var ping = daemon.Docker("exec", "scanner", "ping", "-c1", "-W2", "lp");
        Assert.True(ping.Succeeded, "scanner cannot ping lp:\n" + ping);
        Assert.Contains("10.77.0.65", ping.Output, StringComparison.Ordinal);

        // Over TCP as well, from scanner's namespace.
        using (var client = new TcpDnsClient(PidOf(daemon, "scanner"), Runner))
        {
            Assert.Equal(["10.77.0.65"], client.QueryA("lp")["lp"].Addresses);
        }

        daemon.DockerChecked("rm", "-f", "printer");
        AssertUnknown(daemon, "scanner", "lp");
        daemon.DockerChecked("rm", "-f", "scanner");
        daemon.DockerChecked("network", "rm", "lan");
    }

    private static int PidOf(Berthd daemon, string container) =>
        int.Parse(daemon.DockerChecked("inspect", "-f", "{{.State.Pid}}", container).Output.Trim(), CultureInfo.InvariantCulture);
}
