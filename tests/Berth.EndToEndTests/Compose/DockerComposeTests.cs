using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using static Berth.EndToEndTests.Fixtures.ContainerProbe;

namespace Berth.EndToEndTests.Compose;

/// <summary>
/// The guide's single-host compose files run by Debian's Python docker-compose 1.29 against berthd, unchanged
/// but for the stand-in images (<see cref="GuideImages"/>) and the lab's LAN (10.77.0.0/24 on the docker host's
/// eth0 instead of 192.168.1.0/24). Each proves by traffic what the guide says, checks <c>ps</c> and <c>logs</c>,
/// and ends with <c>down</c> leaving nothing but what the project did not make.
/// </summary>
public sealed class DockerComposeTests : DaemonTest
{
    private const string DockerHostAddress = "10.77.0.10";

    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The guide's frontnet/backnet app. The guide builds <c>api</c> from ./api; here it is a stand-in image, and it
    /// waits for <c>db</c>'s healthcheck (the guide's <c>pg_isready</c> test) with <c>depends_on … service_healthy</c>.
    /// </summary>
    private const string FrontBackApp = """
        version: "3.9"
        services:
          fe:
            image: nginx:alpine
            ports: ["8080:80"]
            networks: [frontnet, backnet]

          api:
            image: myorg/api:1.0
            networks: [backnet]
            depends_on:
              db:
                condition: service_healthy

          db:
            image: postgres:15
            networks: [backnet]
            healthcheck:
              test: ["CMD-SHELL", "pg_isready -U postgres || exit 1"]
              interval: 5s
              retries: 12

        networks:
          frontnet: {}
          backnet: {}
        """;

    /// <summary>The guide's camera on the pre-made macvlan network, at an address of the lab's LAN.</summary>
    private const string MacvlanCamera = """
        version: "3.9"
        services:
          cam:
            image: nginx:alpine
            networks:
              macvlan_lan:
                ipv4_address: 10.77.0.60

        networks:
          macvlan_lan:
            external: true
        """;

    /// <summary>The guide's "real device" example: the same external network under another key, by <c>name</c>.</summary>
    private const string MacvlanDevice = """
        version: "3.9"
        services:
          iot-device:
            image: nginx:alpine
            networks:
              lan:
                ipv4_address: 10.77.0.100

        networks:
          lan:
            external: true
            name: macvlan_lan
        """;

    /// <summary>The guide's driver-options network, two neighbours on it.</summary>
    private const string IsolatedNetwork = """
        version: "3.9"
        services:
          a:
            image: nginx:alpine
            networks: [isolated]
          b:
            image: nginx:alpine
            networks: [isolated]

        networks:
          isolated:
            driver: bridge
            driver_opts:
              com.docker.network.bridge.enable_icc: "false"   # 컨테이너 간 통신 차단
            ipam:
              driver: default
              config:
                - subnet: 172.30.0.0/16
                  gateway: 172.30.0.1
        """;

    /// <summary>The guide's <c>external: true</c> reference, to a bridge network made beforehand.</summary>
    private const string ExternalCorpLan = """
        version: "3.9"
        services:
          web:
            image: nginx:alpine
            networks: [corp_lan]

        networks:
          corp_lan:
            external: true
        """;

    [RootFact]
    public void FrontnetBacknetAppKeepsApiAndDbOffTheFrontnet()
    {
        using var daemon = StartDaemon();
        GuideImages.Import(daemon, TestRoot);
        var compose = new DockerCompose(daemon, TestRoot, "app", FrontBackApp);
        long since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;

        var up = compose.Checked("up", "-d");
        Assert.Contains("Creating network \"app_frontnet\" with the default driver", up.Error, StringComparison.Ordinal);
        Assert.Contains("Creating network \"app_backnet\" with the default driver", up.Error, StringComparison.Ordinal);

        var ps = compose.Checked("ps").Output;
        Assert.Matches(@"app_fe_1\s+httpd -f -p 80 -h /www\s+Up\s+0\.0\.0\.0:8080->80/tcp", ps);
        Assert.Matches(@"app_db_1\s+postgres\s+Up \(healthy\)", ps);
        Assert.Matches(@"app_api_1\s+api\s+Up", ps);

        // db's healthcheck passed before api was started: the daemon's own event stream, read by the docker CLI.
        string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var events = daemon.DockerChecked("events", "--since", since.ToString(CultureInfo.InvariantCulture), "--until", until,
            "--filter", "label=com.docker.compose.project=app", "--filter", "type=container", "--format", "{{.Action}} {{.Actor.Attributes.name}}")
            .Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        int healthy = events.IndexOf("health_status: healthy app_db_1");
        int apiStart = events.IndexOf("start app_api_1");
        Assert.True(healthy >= 0 && apiStart > healthy, "db was not healthy before api started:\n" + string.Join('\n', events));

        // The published port answers on the docker host's LAN address; fe reaches api and db by name on backnet.
        Assert.True(Poll.Until(() => LanPeer.Exec("timeout", "3", "busybox", "wget", "-qO-", $"http://{DockerHostAddress}:8080/").Output.Trim() == GuideImages.Page, Settle),
            "the LAN machine does not get fe's page on the docker host's port 8080");
        Assert.True(Poll.Until(() => Reply(daemon, "app_fe_1", "api", GuideImages.ApiPort) == GuideImages.ApiReply, Settle), "fe cannot talk to api by name");
        Assert.Equal(GuideImages.PostgresReply, Reply(daemon, "app_fe_1", "db", GuideImages.PostgresPort));

        // From frontnet alone (a container the project does not own), fe answers; api and db neither resolve nor answer.
        daemon.DockerChecked("run", "-d", "--name", "probe", "--network", "app_frontnet", "bb:latest", "sleep", "300");
        Assert.True(Poll.Until(() => daemon.Docker("exec", "probe", "timeout", "3", "wget", "-qO-", "http://fe/").Output.Trim() == GuideImages.Page, Settle),
            "a container on frontnet cannot reach fe: the lab is broken");
        string apiAddress = BacknetAddress(daemon, "app_api_1");
        string dbAddress = BacknetAddress(daemon, "app_db_1");
        Assert.False(Pings(daemon, "probe", apiAddress), "frontnet reaches api's address");
        Assert.Null(Reply(daemon, "probe", apiAddress, GuideImages.ApiPort));
        Assert.False(Pings(daemon, "probe", dbAddress), "frontnet reaches db's address");
        Assert.Null(Reply(daemon, "probe", dbAddress, GuideImages.PostgresPort));
        Assert.Null(Reply(daemon, "probe", "api", GuideImages.ApiPort));
        Assert.Null(Reply(daemon, "probe", "db", GuideImages.PostgresPort));
        daemon.DockerChecked("rm", "-f", "probe");

        // up -d again changes nothing.
        var before = ProjectIds(daemon, "app");
        var again = compose.Checked("up", "-d");
        foreach (string name in (string[])["app_fe_1", "app_api_1", "app_db_1"])
        {
            Assert.Contains(name + " is up-to-date", again.Error, StringComparison.Ordinal);
        }

        Assert.Equal(before, ProjectIds(daemon, "app"));

        var logs = compose.Checked("logs", "--no-color", "db", "api").Output;
        Assert.Matches(@"(?m)^db_1\s+\| postgres stand-in: starting$", logs);
        Assert.Matches(@"(?m)^db_1\s+\| " + GuideImages.PostgresReady + "$", logs);
        Assert.Matches(@"(?m)^api_1\s+\| api stand-in: listening on 8080$", logs);

        Down(daemon, compose, "app_frontnet", "app_backnet");
    }

    [RootFact]
    public void MacvlanCameraOnTheExternalNetworkAnswersTheLan()
    {
        using var daemon = StartDaemon();
        GuideImages.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "-d", "macvlan", "--subnet=10.77.0.0/24", "--gateway=10.77.0.1", "-o", "parent=eth0", "macvlan_lan");
        var camera = new DockerCompose(daemon, TestRoot, "cam", MacvlanCamera);
        var device = new DockerCompose(daemon, TestRoot, "iot", MacvlanDevice);

        camera.Checked("up", "-d");
        device.Checked("up", "-d");

        // Each answers the LAN machine at its own address, no port published, as a device on the LAN would.
        foreach (string address in (string[])["10.77.0.60", "10.77.0.100"])
        {
            Assert.True(Poll.Until(() => LanPeer.Exec("timeout", "3", "busybox", "wget", "-qO-", $"http://{address}/").Output.Trim() == GuideImages.Page, Settle),
                $"the LAN machine gets no page from {address}");
        }

        Assert.Matches(@"cam_cam_1\s+httpd -f -p 80 -h /www\s+Up", camera.Checked("ps").Output);
        Assert.Equal("10.77.0.60", daemon.DockerChecked("inspect", "-f", "{{(index .NetworkSettings.Networks \"macvlan_lan\").IPAddress}}", "cam_cam_1").Output.Trim());

        var down = camera.Checked("down", "-t", "1");
        Assert.Contains("Network macvlan_lan is external, skipping", down.Error, StringComparison.Ordinal);
        Assert.Contains("Network macvlan_lan is external, skipping", device.Checked("down", "-t", "1").Error, StringComparison.Ordinal);
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
        Assert.Equal("macvlan", daemon.DockerChecked("network", "inspect", "-f", "{{.Driver}}", "macvlan_lan").Output.Trim());
        Assert.Null(ContainerProbe.Talk(LanPeer, "10.77.0.60"));
        daemon.DockerChecked("network", "rm", "macvlan_lan");
    }

    [RootFact]
    public void ExternalNetworkMustExistIsReusedAndOutlivesDown()
    {
        using var daemon = StartDaemon();
        GuideImages.Import(daemon, TestRoot);
        var compose = new DockerCompose(daemon, TestRoot, "corp", ExternalCorpLan);

        var missing = compose.Run("up", "-d");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("Network corp_lan declared as external, but could not be found", missing.Error, StringComparison.Ordinal);
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());

        string id = daemon.DockerChecked("network", "create", "--subnet", "10.181.0.0/24", "corp_lan").Output.Trim();
        compose.Checked("up", "-d");
        Assert.Equal(id, daemon.DockerChecked("inspect", "-f", "{{(index .NetworkSettings.Networks \"corp_lan\").NetworkID}}", "corp_web_1").Output.Trim());
        daemon.DockerChecked("run", "-d", "--name", "neighbour", "--network", "corp_lan", "bb:latest", "sleep", "300");
        Assert.True(Poll.Until(() => daemon.Docker("exec", "neighbour", "timeout", "3", "wget", "-qO-", "http://web/").Output.Trim() == GuideImages.Page, Settle),
            "a container of corp_lan does not reach the project's web by name");
        daemon.DockerChecked("rm", "-f", "neighbour");

        Assert.Contains("Network corp_lan is external, skipping", compose.Checked("down", "-t", "1").Error, StringComparison.Ordinal);
        Assert.Equal(id, daemon.DockerChecked("network", "inspect", "-f", "{{.Id}}", "corp_lan").Output.Trim());
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
        daemon.DockerChecked("network", "rm", "corp_lan");
    }

    [RootFact]
    public void IsolatedNetworkWithIccOffBlocksNeighbours()
    {
        using var daemon = StartDaemon();
        GuideImages.Import(daemon, TestRoot);
        var compose = new DockerCompose(daemon, TestRoot, "iso", IsolatedNetwork);
        compose.Checked("up", "-d");

        Assert.Equal("""{"com.docker.network.bridge.enable_icc":"false"} [{"Subnet":"172.30.0.0/16","Gateway":"172.30.0.1"}]""",
            daemon.DockerChecked("network", "inspect", "-f", "{{json .Options}} {{json .IPAM.Config}}", "iso_isolated").Output.Trim());

        // Both reach their gateway (the host); neither reaches the other, by name or address, ping or HTTP.
        foreach (string container in (string[])["iso_a_1", "iso_b_1"])
        {
            Assert.True(Pings(daemon, container, "172.30.0.1"), $"{container} cannot ping its gateway: the lab is broken");
        }

        Assert.True(Poll.Until(() => DockerHost.Exec("timeout", "3", "busybox", "wget", "-qO-", $"http://{IsolatedAddress(daemon, "iso_b_1")}/").Output.Trim() == GuideImages.Page, Settle),
            "the docker host gets no page from b: the lab is broken");
        long drops = Drops(DockerHost, "bridge", "enable_icc=false, IPv4");
        Assert.False(Pings(daemon, "iso_a_1", IsolatedAddress(daemon, "iso_b_1")), "a pings b with enable_icc=false");
        Assert.False(Pings(daemon, "iso_b_1", IsolatedAddress(daemon, "iso_a_1")), "b pings a with enable_icc=false");
        Assert.NotEqual(0, daemon.Docker("exec", "iso_a_1", "timeout", "3", "wget", "-qO-", "http://b/").ExitCode);
        Assert.True(Drops(DockerHost, "bridge", "enable_icc=false, IPv4") >= drops + 2, "the enable_icc=false rule did not count the dropped packets");

        // compose compares the network's options with the file's: equal, so up -d again reuses everything.
        var before = ProjectIds(daemon, "iso");
        var again = compose.Checked("up", "-d");
        Assert.Contains("iso_a_1 is up-to-date", again.Error, StringComparison.Ordinal);
        Assert.Equal(before, ProjectIds(daemon, "iso"));

        Down(daemon, compose, "iso_isolated");
    }

    [RootFact]
    public void AttachedUpStreamsOutputAndCtrlCStopsThenTheLifecycleCommandsWork()
    {
        using var daemon = StartDaemon();
        GuideImages.Import(daemon, TestRoot);
        var compose = new DockerCompose(daemon, TestRoot, "life", """
            version: "3.9"
            services:
              talker:
                image: bb:latest
                command: ["sh", "-c", "echo hello from talker; trap 'echo bye; exit 0' TERM; while true; do sleep 1; done"]
              web:
                image: nginx:alpine
            """);

        using (var up = compose.Start("up", "--no-color"))
        {
            Assert.True(Poll.Until(() => up.Output.Contains("talker_1  | hello from talker", StringComparison.Ordinal), TimeSpan.FromSeconds(60)),
                "attached up did not show talker's output:\n" + up.Output + "\n" + up.Error);
            Assert.Contains("Attaching to ", up.Output, StringComparison.Ordinal);
            up.Interrupt();
            up.WaitForExit(TimeSpan.FromSeconds(60));
            Assert.Contains("Gracefully stopping...", up.Output + up.Error, StringComparison.Ordinal);
        }

        Assert.Equal("life_talker_1 exited\nlife_web_1 exited", States(daemon, "life"));

        compose.Checked("start");
        Assert.Equal("life_talker_1 running\nlife_web_1 running", States(daemon, "life"));

        var exec = compose.Run("exec", "-T", "talker", "sh", "-c", "echo exec-ok; exit 3");
        Assert.Equal(3, exec.ExitCode);
        Assert.Equal("exec-ok", exec.Output.Trim());

        var run = compose.Checked("run", "--rm", "-T", "talker", "sh", "-c", "timeout 3 wget -qO- http://web/");
        Assert.Equal(GuideImages.Page, run.Output.Trim());
        Assert.Equal("life_talker_1 running\nlife_web_1 running", States(daemon, "life"));

        string started = StartedAt(daemon, "life_web_1");
        compose.Checked("restart", "-t", "1", "web");
        Assert.NotEqual(started, StartedAt(daemon, "life_web_1"));
        Assert.Equal("life_talker_1 running\nlife_web_1 running", States(daemon, "life"));

        compose.Checked("stop", "-t", "1");
        Assert.Equal("life_talker_1 exited\nlife_web_1 exited", States(daemon, "life"));
        var ps = compose.Checked("ps").Output;
        Assert.Matches(@"life_talker_1\s+.*\s+Exit 0", ps);

        var logs = compose.Checked("logs", "--no-color", "talker").Output;
        Assert.Equal(2, logs.Split("| hello from talker").Length - 1);
        Assert.Equal(2, logs.Split("| bye").Length - 1);

        Down(daemon, compose, "life_default");
    }

    /// <summary><c>down</c> removes the project's containers and its own networks, and nothing else is left.</summary>
    private static void Down(Berthd daemon, DockerCompose compose, params string[] networks)
    {
        var down = compose.Checked("down", "-t", "1");
        foreach (string network in networks)
        {
            Assert.Contains($"Removing network {network}", down.Error, StringComparison.Ordinal);
        }

        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
        Assert.Equal("bridge\nhost\nnone", daemon.DockerChecked("network", "ls", "--format", "{{.Name}}").Output.Trim());
    }

    /// <summary>What a TCP listener said to a connection from <paramref name="container"/>, or null when none was made.</summary>
    private static string? Reply(Berthd daemon, string container, string host, int port)
    {
        var result = daemon.Docker("exec", container, "nc", "-w", "2", host, port.ToString(CultureInfo.InvariantCulture));
        return result.Succeeded && result.Output.Trim().Length > 0 ? result.Output.Trim() : null;
    }

    private static string BacknetAddress(Berthd daemon, string container) =>
        daemon.DockerChecked("inspect", "-f", "{{(index .NetworkSettings.Networks \"app_backnet\").IPAddress}}", container).Output.Trim();

    private static string IsolatedAddress(Berthd daemon, string container) =>
        daemon.DockerChecked("inspect", "-f", "{{(index .NetworkSettings.Networks \"iso_isolated\").IPAddress}}", container).Output.Trim();

    private static string ProjectIds(Berthd daemon, string project) =>
        string.Join(' ', daemon.DockerChecked("ps", "-aq", "--no-trunc", "--filter", "label=com.docker.compose.project=" + project).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

    private static string States(Berthd daemon, string project) =>
        string.Join('\n', daemon.DockerChecked("ps", "-a", "--filter", "label=com.docker.compose.project=" + project, "--format", "{{.Names}} {{.State}}").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

    private static string StartedAt(Berthd daemon, string container) =>
        daemon.DockerChecked("inspect", "-f", "{{.State.StartedAt}}", container).Output.Trim();
}
