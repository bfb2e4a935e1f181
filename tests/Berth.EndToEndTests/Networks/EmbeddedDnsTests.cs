using System.Net;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using static Berth.EndToEndTests.Fixtures.Nslookup;

namespace Berth.EndToEndTests.Networks;

/// <summary>
/// The embedded resolver at 127.0.0.11, through the real docker CLI and busybox's nslookup: names,
/// shared aliases and short ids on a shared network, nothing across networks until connected, updates
/// on connect, rename and remove, forwarding to berthd's <c>--dns</c> upstream (a test server inside
/// the lab), and every running container served again by a berthd that was killed and restarted.
/// </summary>
public sealed class EmbeddedDnsTests : DaemonTest
{
    private static readonly string[] Upstream = ["--dns", "127.0.0.1"];

    [RootFact]
    public void ContainersOnAUserNetworkResolveEachOtherOnlyWhereTheyShareANetwork()
    {
        var daemon = StartDaemon(Upstream);
        using var upstream = new TestDnsUpstream(DockerHost);
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.170.0.0/24", "one");
        daemon.DockerChecked("network", "create", "--subnet", "10.171.0.0/24", "two");
        daemon.DockerChecked("run", "-d", "--name", "alpha", "--network", "one", "--ip", "10.170.0.10", "bb:latest", "sleep", "300");
        string bravoId = daemon.DockerChecked("run", "-d", "--name", "bravo", "--network", "one", "--ip", "10.170.0.11", "--network-alias", "web", "bb:latest", "sleep", "300").Output.Trim();
        daemon.DockerChecked("run", "-d", "--name", "charlie", "--network", "one", "--ip", "10.170.0.12", "--network-alias", "web", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "other", "--network", "two", "--ip", "10.171.0.10", "bb:latest", "sleep", "300");

        // Names, the shared alias (both addresses), the short id, name.network.
        Assert.Equal(["10.170.0.11"], Addresses(daemon, "alpha", "bravo"));
        Assert.Equal(["10.170.0.11", "10.170.0.12"], Addresses(daemon, "alpha", "web"));
        Assert.Equal(["10.170.0.11"], Addresses(daemon, "alpha", bravoId[..12]));
        Assert.Equal(["10.170.0.10"], Addresses(daemon, "bravo", "alpha.one"));

        // PTR: a container address gives the container's name on that network.
        var reverse = daemon.Docker("exec", "alpha", "nslookup", "10.170.0.11");
        Assert.True(reverse.Succeeded, $"reverse lookup failed:\n{reverse}");
        Assert.Contains("bravo.one", reverse.Output, StringComparison.Ordinal);

        // Anything else goes to the upstream: its answer, and its NXDOMAIN.
        Assert.Equal([TestDnsUpstream.KnownAddress.ToString()], Addresses(daemon, "alpha", TestDnsUpstream.KnownName));
        AssertUnknown(daemon, "alpha", "nosuch.test");

        // Another network: b is unknown there (and the query went upstream, which said NXDOMAIN) until other is connected to one.
        int before = upstream.Queries;
        var across = Lookup(daemon, "other", "bravo");
        Assert.Contains("NXDOMAIN", across.Output + across.Error, StringComparison.Ordinal);
        Assert.True(upstream.Queries > before, "the lookup from other never reached the upstream");
        daemon.DockerChecked("network", "connect", "--ip", "10.170.0.20", "one", "other");
        Assert.Equal(["10.170.0.11"], Addresses(daemon, "other", "bravo"));
        Assert.Equal(["10.170.0.20"], Addresses(daemon, "alpha", "other"));
        daemon.DockerChecked("network", "disconnect", "one", "other");
        AssertUnknown(daemon, "other", "bravo");
        AssertUnknown(daemon, "alpha", "other");

        // Rename: the new name at once, the old one gone.
        daemon.DockerChecked("rename", "charlie", "carol");
        Assert.Equal(["10.170.0.12"], Addresses(daemon, "alpha", "carol"));
        AssertUnknown(daemon, "alpha", "charlie");

        // Removed: its name and its share of the alias are gone.
        daemon.DockerChecked("rm", "-f", "bravo");
        AssertUnknown(daemon, "alpha", "bravo");
        Assert.Equal(["10.170.0.12"], Addresses(daemon, "alpha", "web"));

        // berthd killed (-9) and started again: the running containers are served again.
        daemon.Kill();
        var again = Restart(daemon, Upstream);
        Assert.Equal(["10.170.0.10"], Addresses(again, "carol", "alpha"));
        Assert.Equal(["10.170.0.12"], Addresses(again, "alpha", "web"));
        Assert.Equal([TestDnsUpstream.KnownAddress.ToString()], Addresses(again, "alpha", TestDnsUpstream.KnownName));

        // Stopped: its resolver sockets are closed with its namespace, and its names are gone for the others.
        again.DockerChecked("stop", "-t", "0", "carol");
        AssertUnknown(again, "alpha", "carol");

        again.DockerChecked("rm", "-f", "alpha", "carol", "other");
        again.DockerChecked("network", "rm", "one", "two");
        again.Stop();
    }

    [RootFact]
    public void WithoutAnAnsweringUpstreamUnknownNamesGetServfail()
    {
        // 127.0.0.1:53 in the lab with nothing listening: the forward fails at once, the client hears SERVFAIL.
        using var daemon = StartDaemon(Upstream);
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.172.0.0/24", "solo");
        daemon.DockerChecked("run", "-d", "--name", "lonely", "--network", "solo", "--ip", "10.172.0.10", "bb:latest", "sleep", "300");

        var result = Lookup(daemon, "lonely", "nosuch.test");
        Assert.Contains("SERVFAIL", result.Output + result.Error, StringComparison.Ordinal);
        Assert.Equal(["10.172.0.10"], Addresses(daemon, "lonely", "lonely"));

        // The default bridge has no embedded DNS: its resolv.conf does not point at it.
        daemon.DockerChecked("run", "-d", "--name", "plain", "bb:latest", "sleep", "300");
        Assert.DoesNotContain("127.0.0.11", daemon.DockerChecked("exec", "plain", "cat", "/etc/resolv.conf").Output, StringComparison.Ordinal);

        daemon.DockerChecked("rm", "-f", "lonely", "plain");
        daemon.DockerChecked("network", "rm", "solo");
    }

    [RootFact]
    public void PerContainerDnsServersSearchAndOptionsAreHonoured()
    {
        var daemon = StartDaemon(Upstream);
        using var daemonUpstream = new TestDnsUpstream(DockerHost);
        using var ownUpstream = new TestDnsUpstream(DockerHost, IPAddress.Parse("127.0.0.2"));
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.181.0.0/24", "usernet");
        daemon.DockerChecked("run", "-d", "--name", "own", "--network", "usernet", "--dns", "127.0.0.2",
            "--dns-search", "example.test", "--dns-option", "timeout:3", "bb:latest", "sleep", "300");

        // On a user network the container still asks 127.0.0.11, with its own search and options.
        string resolv = daemon.DockerChecked("exec", "own", "cat", "/etc/resolv.conf").Output;
        Assert.Contains("nameserver 127.0.0.11\n", resolv, StringComparison.Ordinal);
        Assert.Contains("search example.test\n", resolv, StringComparison.Ordinal);
        Assert.Matches(@"options .*timeout:3", resolv);
        Assert.Matches(@"options .*ndots:0", resolv);
        Assert.DoesNotContain("127.0.0.2", resolv, StringComparison.Ordinal);

        // ...and the resolver forwards its unknown names to its own --dns server, not the daemon's.
        Assert.Equal([TestDnsUpstream.KnownAddress.ToString()], Addresses(daemon, "own", TestDnsUpstream.KnownName));
        Assert.True(ownUpstream.Queries > 0, "the container's own --dns server was not asked");
        Assert.Equal(0, daemonUpstream.Queries);
        Assert.Equal("[127.0.0.2] [example.test] [timeout:3]",
            daemon.DockerChecked("inspect", "-f", "{{.HostConfig.Dns}} {{.HostConfig.DnsSearch}} {{.HostConfig.DnsOptions}}", "own").Output.Trim());

        // On the default bridge --dns goes straight into resolv.conf.
        string bridged = daemon.DockerChecked("run", "--rm", "--dns", "10.77.0.53", "--dns-search", "lab.test", "bb:latest", "cat", "/etc/resolv.conf").Output;
        Assert.Contains("nameserver 10.77.0.53\n", bridged, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.11", bridged, StringComparison.Ordinal);
        Assert.Contains("search lab.test\n", bridged, StringComparison.Ordinal);
    }
}
