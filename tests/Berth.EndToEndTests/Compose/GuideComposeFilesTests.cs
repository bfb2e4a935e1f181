using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Compose;

/// <summary>
/// The guide's compose files, verbatim (tests/Berth.Compose.Tests/TestData/guide), through <c>berth compose</c>:
/// each with a small override file of the kind users write (a command for the busybox stand-in images, an image
/// for the service the guide builds), as <c>-f guide.yml -f override.yml</c>. Proven by traffic in the lab.
/// </summary>
public sealed class GuideComposeFilesTests : DaemonTest
{
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(15);

    private const string Serve = "[\"sh\", \"-c\", \"mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www\"]";

    [RootFact]
    public void TheGuidesComposeFilesRunAsTheGuideSays()
    {
        var daemon = StartDaemon();
        ComposeTestImages.Import(daemon, TestRoot);
        daemon.DockerChecked("tag", "bb:latest", "custom-iot-image:latest");

        // The macvlan files: the LAN is the guide's 192.168.1.0/24 (the LAN machine gets an address on it too).
        LanPeer.Ip("addr", "add", "192.168.1.20/24", "dev", "eth0");
        daemon.DockerChecked("network", "create", "-d", "macvlan", "--subnet", "192.168.1.0/24", "--gateway", "192.168.1.1", "-o", "parent=eth0", "macvlan_lan");
        var cam = Project("cam", "macvlan-cam.yml", $"services:\n  cam:\n    command: {Serve}\n");
        Compose(daemon, cam, "up", "-d");
        Assert.True(LanPeer.PingWithin("192.168.1.60", Up), "the LAN does not reach the camera at 192.168.1.60\n" + daemon.Log);
        Assert.Contains("\n", Get(LanPeer, "192.168.1.60") ?? "", StringComparison.Ordinal);
        var iot = Project("iot", "docker-compose-macvlan.yml", "services:\n  iot-device:\n    command: [\"sleep\", \"300\"]\n");
        Compose(daemon, iot, "up", "-d");
        Assert.True(LanPeer.PingWithin("192.168.1.100", Up), "the LAN does not reach the IoT device at 192.168.1.100");
        Compose(daemon, cam, "down");
        Compose(daemon, iot, "down");
        Assert.False(LanPeer.Ping("192.168.1.60"));
        Assert.Equal("macvlan_lan", daemon.DockerChecked("network", "ls", "--filter", "name=macvlan_lan", "--format", "{{.Name}}").Output.Trim());

        // The multi-network file: fe on both networks publishes 8080, api and db only on backnet; db healthy first.
        var app = Project("app", "multi-network.yml",
            $"services:\n  fe:\n    command: {Serve}\n  api:\n    image: myorg/api:1.0\n    command: {Serve}\n" +
            "  db:\n    command: [\"sh\", \"-c\", \"touch /tmp/pg-ready && exec sleep 300\"]\n    healthcheck:\n      interval: 1s\n");
        Compose(daemon, app, "up", "-d", "--wait");
        Assert.True(Poll.Until(() => Get(LanPeer, "10.77.0.10:8080") is { Length: > 0 }, Up), "fe's published port does not answer the LAN\n" + daemon.Log);
        string ps = Compose(daemon, app, "ps");
        Assert.Contains("app_db_1", ps, StringComparison.Ordinal);
        Assert.Contains("(healthy)", ps, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0:8080->80/tcp", ps, StringComparison.Ordinal);
        Assert.NotEqual("", daemon.DockerChecked("exec", "app_fe_1", "timeout", "3", "wget", "-qO-", "http://api/").Output.Trim());
        daemon.DockerChecked("run", "-d", "--name", "outsider", "--network", "app_frontnet", "bb:latest", "sleep", "300");
        Assert.NotEqual(0, daemon.Docker("exec", "outsider", "nslookup", "api").ExitCode);
        string api = daemon.DockerChecked("inspect", "-f", "{{(index .NetworkSettings.Networks \"app_backnet\").IPAddress}}", "app_api_1").Output.Trim();
        Assert.NotEqual(0, daemon.Docker("exec", "outsider", "timeout", "2", "wget", "-qO-", $"http://{api}/").ExitCode);
        daemon.DockerChecked("rm", "-f", "outsider");
        Compose(daemon, app, "down");
        Assert.Equal("", daemon.DockerChecked("ps", "-aq", "--filter", "label=com.docker.compose.project=app").Output.Trim());
        Assert.Equal("", daemon.DockerChecked("network", "ls", "-q", "--filter", "label=com.docker.compose.project=app").Output.Trim());

        // The isolated network (enable_icc "false"): two services on it cannot reach each other, both reach the gateway.
        var iso = Project("iso", "isolated-network.yml",
            "services:\n  a:\n    image: bb:latest\n    command: [\"sleep\", \"300\"]\n    networks: [isolated]\n" +
            "  b:\n    image: bb:latest\n    command: [\"sleep\", \"300\"]\n    networks: [isolated]\n");
        Compose(daemon, iso, "up", "-d");
        string b = daemon.DockerChecked("inspect", "-f", "{{(index .NetworkSettings.Networks \"iso_isolated\").IPAddress}}", "iso_b_1").Output.Trim();
        Assert.StartsWith("172.30.", b, StringComparison.Ordinal);
        Assert.Equal(0, daemon.Docker("exec", "iso_a_1", "ping", "-c1", "-W2", "172.30.0.1").ExitCode);
        Assert.NotEqual(0, daemon.Docker("exec", "iso_a_1", "ping", "-c1", "-W2", b).ExitCode);
        Compose(daemon, iso, "down");

        // The external network: used, never created nor removed by the project.
        var corp = Project("corp", "external-network.yml",
            "services:\n  svc:\n    image: bb:latest\n    command: [\"sleep\", \"300\"]\n    networks: [corp_lan]\n");
        var missing = daemon.BerthCli(["compose", .. corp, "up", "-d"]);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("corp_lan", missing.Error + missing.Output, StringComparison.Ordinal);
        daemon.DockerChecked("network", "create", "corp_lan");
        Compose(daemon, corp, "up", "-d");
        Assert.Contains("corp_lan", daemon.DockerChecked("inspect", "-f", "{{json .NetworkSettings.Networks}}", "corp_svc_1").Output, StringComparison.Ordinal);
        Compose(daemon, corp, "down");
        Assert.Equal("corp_lan", daemon.DockerChecked("network", "ls", "--filter", "name=corp_lan", "--format", "{{.Name}}").Output.Trim());
        daemon.DockerChecked("network", "rm", "corp_lan", "macvlan_lan");
        daemon.Stop();
    }

    /// <summary>A project directory with the guide's file and an override; the <c>-p -f -f</c> arguments for it.</summary>
    private string[] Project(string name, string guideFile, string overrideYaml)
    {
        string directory = Path.Combine(TestRoot, "compose-" + name);
        Directory.CreateDirectory(directory);
        string guide = Path.Combine(directory, guideFile);
        File.Copy(Path.Combine(RepoPaths.Root, "tests/Berth.Compose.Tests/TestData/guide", guideFile), guide, overwrite: true);
        string overrideFile = Path.Combine(directory, "override.yml");
        File.WriteAllText(overrideFile, overrideYaml);
        return ["-p", name, "-f", guide, "-f", overrideFile];
    }

    private static string Compose(Berthd daemon, string[] project, params string[] command)
    {
        var result = daemon.BerthCli(["compose", .. project, .. command]);
        Assert.True(result.ExitCode == 0, $"berth compose {string.Join(' ', command)} failed:\n{result}\n{daemon.Log}");
        return result.Output;
    }

    private static string? Get(LabHost from, string hostPort)
    {
        var result = from.Exec("busybox", "timeout", "3", "busybox", "wget", "-qO-", $"http://{hostPort}/");
        return result.ExitCode == 0 ? result.Output : null;
    }
}
