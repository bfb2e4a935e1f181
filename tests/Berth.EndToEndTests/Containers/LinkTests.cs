using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using static Berth.EndToEndTests.Fixtures.Nslookup;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// <c>--link</c> with Docker's semantics through the real docker CLI: on a user-defined network an alias only the
/// linking container resolves (embedded DNS), per network, also through <c>network connect --link</c>; on the default
/// bridge a legacy link (the linking container's /etc/hosts, inspect's <c>/db:/app/alias</c>, Docker's errors).
/// </summary>
public sealed class LinkTests : DaemonTest
{
    private static readonly string[] Upstream = ["--dns", "127.0.0.1"];

    [RootFact]
    public void OnAUserNetworkTheLinkAliasResolvesForTheLinkingContainerOnly()
    {
        using var daemon = StartDaemon(Upstream);
        using var upstream = new TestDnsUpstream(DockerHost);
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.184.0.0/24", "usernet");
        daemon.DockerChecked("network", "create", "--subnet", "10.185.0.0/24", "second");
        daemon.DockerChecked("run", "-d", "--name", "db", "--network", "usernet", "--ip", "10.184.0.10", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "bystander", "--network", "usernet", "--ip", "10.184.0.12", "bb:latest", "sleep", "300");

        // A link to an unknown container is no error on a user network (it resolves once such a container is there).
        daemon.DockerChecked("run", "-d", "--name", "app", "--network", "usernet", "--ip", "10.184.0.11", "--link", "db:database", "--link", "nosuch:ghost", "bb:latest", "sleep", "300");

        Assert.Equal(["10.184.0.10"], Addresses(daemon, "app", "database"));
        Assert.Equal(["10.184.0.10"], Addresses(daemon, "app", "database.usernet"));
        var ping = daemon.Docker("exec", "app", "ping", "-c1", "-W2", "database");
        Assert.True(ping.Succeeded, "app cannot ping its link alias:\n" + ping);
        AssertUnknown(daemon, "bystander", "database");
        AssertUnknown(daemon, "db", "database");
        AssertUnknown(daemon, "app", "ghost");

        // inspect: the link sits on the endpoint; HostConfig.Links lists legacy (default bridge) links only.
        Assert.Equal("null [\"db:database\",\"nosuch:ghost\"]",
            daemon.DockerChecked("inspect", "-f", "{{json .HostConfig.Links}} {{json .NetworkSettings.Networks.usernet.Links}}", "app").Output.Trim());

        // network connect --link: an alias on the second network, to db's address there.
        daemon.DockerChecked("network", "connect", "--ip", "10.185.0.10", "second", "db");
        daemon.DockerChecked("network", "connect", "--ip", "10.185.0.11", "--link", "db:dbsecond", "second", "app");
        Assert.Equal(["10.185.0.10"], Addresses(daemon, "app", "dbsecond"));
        AssertUnknown(daemon, "bystander", "dbsecond");

        // db leaves usernet: the usernet link stops answering, the link on second still does (moby's own test of this).
        daemon.DockerChecked("network", "disconnect", "usernet", "db");
        AssertUnknown(daemon, "app", "database");
        Assert.Equal(["10.185.0.10"], Addresses(daemon, "app", "dbsecond"));

        // Links and the network's own names survive a berthd crash (endpoints are restored from the store).
        daemon.Kill();
        var again = Restart(daemon, Upstream);
        Assert.Equal(["10.185.0.10"], Addresses(again, "app", "dbsecond"));
        AssertUnknown(again, "bystander", "dbsecond");

        again.DockerChecked("rm", "-f", "app", "db", "bystander");
        again.DockerChecked("network", "rm", "usernet", "second");
    }

    [RootFact]
    public void OnTheDefaultBridgeALegacyLinkWritesTheLinkingContainersHostsFile()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("run", "-d", "--name", "db", "--hostname", "dbhost", "--expose", "5432", "--expose", "8000-8001/udp", "-e", "SECRET=s3", "bb:latest", "sleep", "300");
        string dbAddress = daemon.DockerChecked("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "db").Output.Trim();
        Assert.NotEqual("", dbAddress);

        daemon.DockerChecked("run", "-d", "--name", "app", "--link", "db:database", "bb:latest", "sleep", "300");
        string hosts = daemon.DockerChecked("exec", "app", "cat", "/etc/hosts").Output;
        Assert.Contains($"{dbAddress}\tdatabase dbhost db\n", hosts, StringComparison.Ordinal);
        var ping = daemon.Docker("exec", "app", "ping", "-c1", "-W2", "database");
        Assert.True(ping.Succeeded, "app cannot ping database through /etc/hosts:\n" + ping);
        Assert.Contains(dbAddress, ping.Output, StringComparison.Ordinal);
        Assert.Equal("[\"/db:/app/database\"]", daemon.DockerChecked("inspect", "-f", "{{json .HostConfig.Links}}", "app").Output.Trim());

        // The link's environment, as moby's: the name, the lowest port, each port, the run of consecutive UDP ports, db's env.
        var env = daemon.DockerChecked("exec", "app", "env").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("DATABASE_", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        string[] expected =
        [
            "DATABASE_ENV_SECRET=s3",
            "DATABASE_NAME=/app/database",
            $"DATABASE_PORT=tcp://{dbAddress}:5432",
            $"DATABASE_PORT_5432_TCP=tcp://{dbAddress}:5432",
            $"DATABASE_PORT_5432_TCP_ADDR={dbAddress}",
            "DATABASE_PORT_5432_TCP_PORT=5432",
            "DATABASE_PORT_5432_TCP_PROTO=tcp",
            $"DATABASE_PORT_8000_UDP=udp://{dbAddress}:8000",
            $"DATABASE_PORT_8000_UDP_ADDR={dbAddress}",
            $"DATABASE_PORT_8000_UDP_END=udp://{dbAddress}:8001",
            "DATABASE_PORT_8000_UDP_PORT=8000",
            "DATABASE_PORT_8000_UDP_PORT_END=8001",
            "DATABASE_PORT_8000_UDP_PORT_START=8000",
            "DATABASE_PORT_8000_UDP_PROTO=udp",
            $"DATABASE_PORT_8000_UDP_START=udp://{dbAddress}:8000",
            $"DATABASE_PORT_8001_UDP=udp://{dbAddress}:8001",
            $"DATABASE_PORT_8001_UDP_ADDR={dbAddress}",
            "DATABASE_PORT_8001_UDP_PORT=8001",
            "DATABASE_PORT_8001_UDP_PROTO=udp",
        ];
        Assert.Equal(expected, env);

        // A link without an alias is known by the container's name; a rename of the linked container shows in inspect.
        daemon.DockerChecked("run", "-d", "--name", "plain", "--link", "db", "bb:latest", "sleep", "300");
        Assert.Contains($"{dbAddress}\tdb dbhost\n", daemon.DockerChecked("exec", "plain", "cat", "/etc/hosts").Output, StringComparison.Ordinal);
        daemon.DockerChecked("rename", "db", "store");
        Assert.Equal("[\"/store:/app/database\"]", daemon.DockerChecked("inspect", "-f", "{{json .HostConfig.Links}}", "app").Output.Trim());

        // Docker's errors: an unknown container (400, so the CLI does not go looking for an image), host networking,
        // a container that is not running.
        int before = ContainerCount(daemon);
        var unknown = daemon.Docker("run", "-d", "--link", "nosuch:x", "bb:latest", "sleep", "300");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("could not get container for nosuch: No such container: nosuch", unknown.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unable to find image", unknown.Error, StringComparison.Ordinal);
        var host = daemon.Docker("run", "-d", "--network", "host", "--link", "store:x", "bb:latest", "sleep", "300");
        Assert.Contains("host type networking can't be used with links", host.Error, StringComparison.Ordinal);
        Assert.Equal(before, ContainerCount(daemon));

        daemon.DockerChecked("create", "--name", "idle", "bb:latest", "sleep", "300");
        var stopped = daemon.Docker("run", "-d", "--name", "late", "--link", "idle:i", "bb:latest", "sleep", "300");
        Assert.NotEqual(0, stopped.ExitCode);
        Assert.Contains("Cannot link to a non running container: /idle AS /late/i", stopped.Error, StringComparison.Ordinal);
        Assert.Equal("created", daemon.DockerChecked("inspect", "-f", "{{.State.Status}}", "late").Output.Trim());

        daemon.DockerChecked("rm", "-f", "app", "plain", "store", "idle", "late");
    }

    private static int ContainerCount(Berthd daemon) =>
        daemon.DockerChecked("ps", "-aq").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}
