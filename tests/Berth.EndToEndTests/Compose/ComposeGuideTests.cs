using System.Collections.Immutable;
using System.Globalization;
using Berth.Compose.Model;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using static Berth.EndToEndTests.Fixtures.ContainerProbe;

namespace Berth.EndToEndTests.Compose;

/// <summary>
/// The guide's compose projects through berth compose's engine against berthd in a lab, proven by traffic: the
/// frontnet/backnet application (backend unreachable from frontnet, db healthy before api starts, up twice recreating
/// nothing, down leaving nothing), the macvlan camera on an external network (on the LAN, the network outliving down),
/// and the <c>enable_icc: "false"</c> network. Projects are built in code as the loader would hand them over.
/// </summary>
public sealed class ComposeGuideTests : DaemonTest
{
    private const string DockerHostAddress = "10.77.0.10";
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);
    private static readonly string[] Pong = ["nc", "-ll", "-p", "80", "-e", "echo", EchoReply];

    [RootFact]
    public void FrontnetBacknetProjectIsolatesTheBackendAndStartsDbOnceHealthy()
    {
        using var daemon = StartDaemon();
        ComposeTestImages.Import(daemon, TestRoot);
        var project = FrontBack();

        var up = ComposeRun.Checked(daemon, project, "up", "-d");
        Assert.Contains("Creating network \"guide_frontnet\" with the default driver", up.Error, StringComparison.Ordinal);
        Assert.Contains("Creating guide_db_1 ... done", up.Error, StringComparison.Ordinal);
        Assert.Equal(["guide_api_1", "guide_db_1", "guide_fe_1"], ProjectContainers(daemon, "guide"));

        // depends_on service_healthy: api started only after a pg_isready probe passed, which takes db 2 s.
        var db = Inspect(daemon, "guide_db_1", "{{.State.StartedAt}}|{{.State.Health.Status}}|{{range .State.Health.Log}}{{.ExitCode}}@{{.End}} {{end}}").Split('|');
        var apiStarted = Time(Inspect(daemon, "guide_api_1", "{{.State.StartedAt}}"));
        Assert.Equal("healthy", db[1]);
        var passed = db[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('@')).Where(p => p[0] == "0").Select(p => Time(p[1])).ToList();
        Assert.True(passed.Count > 0 && passed.Min() <= apiStarted, $"api started at {apiStarted:O}, before db's first passing probe: {db[2]}");
        Assert.True(apiStarted - Time(db[0]) >= TimeSpan.FromSeconds(2), $"api started {apiStarted - Time(db[0])} after db, less than db takes to be ready");

        // fe is on both networks (the short id among its aliases, as docker-compose connects), reaches api and db by name.
        Assert.Equal("guide_backnet guide_frontnet", Inspect(daemon, "guide_fe_1", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}"));
        string feId = Inspect(daemon, "guide_fe_1", "{{.Id}}");
        Assert.Equal($"[{feId[..12]} fe]", Inspect(daemon, "guide_fe_1", "{{(index .NetworkSettings.Networks \"guide_backnet\").Aliases}}"));
        Assert.True(Poll.Until(() => Talk(daemon, "guide_fe_1", "api") == EchoReply, Soon), "fe cannot reach api on backnet");
        Assert.True(Poll.Until(() => Talk(daemon, "guide_fe_1", "db") == EchoReply, Soon), "fe cannot reach db on backnet");

        // The published port 8080:80 answers the LAN.
        Assert.True(Poll.Until(() => Talk(LanPeer, DockerHostAddress) == EchoReply, Soon), "the LAN machine cannot reach fe on 8080");

        // From frontnet, fe answers and the backend does not exist: no route, no name.
        daemon.DockerChecked("run", "-d", "--name", "probe", "--network", "guide_frontnet", "bb:latest", "sleep", "300");
        string feFront = Inspect(daemon, "guide_fe_1", "{{(index .NetworkSettings.Networks \"guide_frontnet\").IPAddress}}");
        Assert.True(Poll.Until(() => daemon.Docker("exec", "probe", "nc", "-w", "2", feFront, "80").Output.Trim() == EchoReply, Soon), "frontnet cannot reach fe");
        foreach (var backend in new[] { "guide_api_1", "guide_db_1" })
        {
            string address = Inspect(daemon, backend, "{{(index .NetworkSettings.Networks \"guide_backnet\").IPAddress}}");
            Assert.False(Pings(daemon, "probe", address), $"frontnet pings {backend} at {address}");
            Assert.Null(Talk(daemon, "probe", address));
        }

        Assert.Null(Talk(daemon, "probe", "api"));
        daemon.DockerChecked("rm", "-f", "probe");

        // ps, logs, exec and run.
        var ps = ComposeRun.Checked(daemon, project, "ps").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", ps[0], StringComparison.Ordinal);
        Assert.Equal(["guide_api_1", "guide_db_1", "guide_fe_1"], ps.Skip(1).Select(l => l.Split(' ')[0]));
        Assert.All(ps.Skip(1), l => Assert.Contains(" Up ", l, StringComparison.Ordinal));
        Assert.Contains("0.0.0.0:8080->80/tcp", ps[3], StringComparison.Ordinal);
        Assert.Contains("guide_db_1  | database system is ready to accept connections\n", ComposeRun.Checked(daemon, project, "logs", "db").Output, StringComparison.Ordinal);
        Assert.Contains("accepting connections", ComposeRun.Checked(daemon, project, "exec", "-T", "db", "pg_isready", "-U", "postgres").Output, StringComparison.Ordinal);
        Assert.Equal(EchoReply, ComposeRun.Checked(daemon, project, "run", "--rm", "-T", "api", "nc", "-w", "2", "db", "8080").Output.Trim());
        Assert.Equal(3, ComposeRun.Run(daemon, project, "run", "--rm", "-T", "api", "sh", "-c", "exit 3").ExitCode);
        Assert.Equal("", daemon.DockerChecked("ps", "-aq", "--filter", "label=com.docker.compose.oneoff=True").Output.Trim());

        // up twice changes nothing; a changed service alone is recreated.
        var ids = Ids(daemon);
        var again = ComposeRun.Checked(daemon, project, "up", "-d");
        Assert.Equal(ids, Ids(daemon));
        Assert.DoesNotContain("Creat", again.Error, StringComparison.Ordinal);
        Assert.Contains("guide_db_1 is up-to-date", again.Error, StringComparison.Ordinal);
        var changed = ComposeRun.Checked(daemon, FrontBack(apiVersion: "2"), "up", "-d");
        Assert.Contains("Recreating guide_api_1 ... done", changed.Error, StringComparison.Ordinal);
        var after = Ids(daemon);
        Assert.NotEqual(ids["guide_api_1"], after["guide_api_1"]);
        Assert.Equal((ids["guide_db_1"], ids["guide_fe_1"]), (after["guide_db_1"], after["guide_fe_1"]));
        Assert.Equal("API_VERSION=2", daemon.DockerChecked("exec", "guide_api_1", "sh", "-c", "env | grep API_VERSION").Output.Trim());

        // down: containers, then the project's networks.
        ComposeRun.Checked(daemon, project, "down");
        Assert.Empty(ProjectContainers(daemon, "guide"));
        Assert.DoesNotContain("guide_", daemon.DockerChecked("network", "ls", "--format", "{{.Name}}").Output, StringComparison.Ordinal);
    }

    [RootFact]
    public void MacvlanCameraOnAnExternalNetworkIsOnTheLanAndTheNetworkOutlivesDown()
    {
        using var daemon = StartDaemon();
        ComposeTestImages.Import(daemon, TestRoot);
        var project = Camera();

        var missing = ComposeRun.Run(daemon, project, "up", "-d");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("Network macvlan_lan declared as external, but could not be found", missing.Error, StringComparison.Ordinal);
        Assert.Empty(ProjectContainers(daemon, "cam"));

        daemon.DockerChecked("network", "create", "-d", "macvlan", "--subnet=10.77.0.0/24", "--gateway=10.77.0.1", "-o", "parent=eth0", "macvlan_lan");
        var up = ComposeRun.Checked(daemon, project, "up", "-d");
        Assert.DoesNotContain("Creating network", up.Error, StringComparison.Ordinal);
        Assert.True(LanPeer.PingWithin("10.77.0.60", Soon), "the LAN cannot ping the camera at 10.77.0.60");
        Assert.True(Poll.Until(() => Talk(LanPeer, "10.77.0.60") == EchoReply, Soon), "the LAN cannot talk to the camera");

        ComposeRun.Checked(daemon, project, "down");
        Assert.Empty(ProjectContainers(daemon, "cam"));
        Assert.Equal("macvlan", daemon.DockerChecked("network", "inspect", "-f", "{{.Driver}}", "macvlan_lan").Output.Trim());
        Assert.False(LanPeer.Ping("10.77.0.60"), "the camera still answers after down");

        // The network is reused by the next up, untouched.
        ComposeRun.Checked(daemon, project, "up", "-d");
        Assert.True(Poll.Until(() => Talk(LanPeer, "10.77.0.60") == EchoReply, Soon), "the camera is not back on the reused network");
        ComposeRun.Checked(daemon, project, "down");
        daemon.DockerChecked("network", "rm", "macvlan_lan");
    }

    [RootFact]
    public void EnableIccFalseNetworkBlocksNeighboursOfAScaledService()
    {
        using var daemon = StartDaemon();
        ComposeTestImages.Import(daemon, TestRoot);
        var project = Isolated(scale: 2);

        ComposeRun.Checked(daemon, project, "up", "-d");
        Assert.Equal(["iso_node_1", "iso_node_2"], ProjectContainers(daemon, "iso"));
        Assert.Equal("false iso bridge", daemon.DockerChecked("network", "inspect", "-f",
            "{{index .Options \"com.docker.network.bridge.enable_icc\"}} {{index .Labels \"com.docker.compose.project\"}} {{.Driver}}", "iso_isolated").Output.Trim());
        string one = Inspect(daemon, "iso_node_1", "{{(index .NetworkSettings.Networks \"iso_isolated\").IPAddress}}");
        string two = Inspect(daemon, "iso_node_2", "{{(index .NetworkSettings.Networks \"iso_isolated\").IPAddress}}");
        Assert.StartsWith("172.30.", one, StringComparison.Ordinal);

        Assert.True(Pings(daemon, "iso_node_1", "172.30.0.1"), "node 1 cannot reach its gateway");
        long before = Drops(DockerHost, "bridge", "enable_icc=false, IPv4");
        Assert.False(Pings(daemon, "iso_node_1", two), "node 1 pings node 2 with enable_icc=false");
        Assert.False(Pings(daemon, "iso_node_2", one), "node 2 pings node 1 with enable_icc=false");
        Assert.True(Drops(DockerHost, "bridge", "enable_icc=false, IPv4") >= before + 2, "the enable_icc=false rule did not count the drops");

        // Scaling down removes the highest number.
        var down = ComposeRun.Checked(daemon, Isolated(scale: 1), "up", "-d");
        Assert.Contains("Removing iso_node_2 ... done", down.Error, StringComparison.Ordinal);
        Assert.Equal(["iso_node_1"], ProjectContainers(daemon, "iso"));
        ComposeRun.Checked(daemon, project, "down");
        Assert.Empty(ProjectContainers(daemon, "iso"));
    }

    private static ComposeProject FrontBack(string apiVersion = "1") => new()
    {
        Name = "guide",
        WorkingDirectory = "/srv/guide",
        ConfigFiles = ["/srv/guide/docker-compose.yml"],
        Services = Services(
            new ComposeService
            {
                Name = "fe",
                Image = "nginx:alpine",
                Command = [.. Pong],
                Ports = [new ComposePort(80, "8080")],
                Networks = [new ServiceNetwork("frontnet"), new ServiceNetwork("backnet")],
            },
            new ComposeService
            {
                Name = "api",
                Image = "myorg/api:1.0", // the guide builds ./api; berth compose cannot build, so a stand-in image
                Command = [.. ListenCommand],
                Environment = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("API_VERSION", apiVersion)]),
                Networks = [new ServiceNetwork("backnet")],
                DependsOn = [new ServiceDependency("db", DependencyCondition.Healthy)],
            },
            new ComposeService
            {
                Name = "db",
                Image = "postgres:15",
                Command = ["sh", "-c", $"sleep 2 && touch {ComposeTestImages.PgReadyFile} && echo database system is ready to accept connections && exec nc -ll -p 8080 -e echo {EchoReply}"],
                Networks = [new ServiceNetwork("backnet")],
                // The guide's probe every 5 s, here every second so the test does not wait.
                Healthcheck = new ComposeHealthcheck { Test = ["CMD-SHELL", "pg_isready -U postgres || exit 1"], Interval = TimeSpan.FromSeconds(1), Retries = 12 },
            }),
        Networks = Networks(new ComposeNetwork { Key = "frontnet", Name = "guide_frontnet" }, new ComposeNetwork { Key = "backnet", Name = "guide_backnet" }),
    };

    private static ComposeProject Camera() => new()
    {
        Name = "cam",
        WorkingDirectory = "/srv/cam",
        Services = Services(new ComposeService
        {
            Name = "cam",
            Image = "nginx:alpine",
            Command = [.. ListenCommand],
            Networks = [new ServiceNetwork("macvlan_lan") { Ipv4Address = "10.77.0.60" }],
        }),
        Networks = Networks(new ComposeNetwork { Key = "macvlan_lan", Name = "macvlan_lan", External = true }),
    };

    private static ComposeProject Isolated(int scale) => new()
    {
        Name = "iso",
        WorkingDirectory = "/srv/iso",
        Services = Services(new ComposeService { Name = "node", Image = "bb:latest", Command = ["sleep", "300"], Scale = scale, Networks = [new ServiceNetwork("isolated")] }),
        Networks = Networks(new ComposeNetwork
        {
            Key = "isolated",
            Name = "iso_isolated",
            Driver = "bridge",
            DriverOpts = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("com.docker.network.bridge.enable_icc", "false")]),
            Ipam = new ComposeIpam { Driver = "default", Config = [new ComposeIpamPool { Subnet = "172.30.0.0/16", Gateway = "172.30.0.1" }] },
        }),
    };

    internal static ImmutableSortedDictionary<string, ComposeService> Services(params ComposeService[] services) =>
        services.ToImmutableSortedDictionary(s => s.Name, s => s, StringComparer.Ordinal);

    internal static ImmutableSortedDictionary<string, ComposeNetwork> Networks(params ComposeNetwork[] networks) =>
        networks.ToImmutableSortedDictionary(n => n.Key, n => n, StringComparer.Ordinal);

    /// <summary>The project's containers by name, as docker-compose finds them: by label, through the docker CLI.</summary>
    internal static string[] ProjectContainers(Berthd daemon, string project) =>
        [.. daemon.DockerChecked("ps", "-a", "--filter", "label=com.docker.compose.project=" + project, "--format", "{{.Names}}").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    internal static string Inspect(Berthd daemon, string container, string format) =>
        daemon.DockerChecked("inspect", "-f", format, container).Output.Trim();

    private static Dictionary<string, string> Ids(Berthd daemon) =>
        ProjectContainers(daemon, "guide").ToDictionary(n => n, n => Inspect(daemon, n, "{{.Id}}"), StringComparer.Ordinal);

    /// <summary>RFC 3339 with up to nine fractional digits (.NET parses seven).</summary>
    private static DateTimeOffset Time(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            text = text[..Math.Min(end, dot + 8)] + text[end..];
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }
}
