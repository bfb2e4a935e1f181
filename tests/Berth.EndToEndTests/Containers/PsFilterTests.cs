using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary><c>docker ps</c> with every filter Berth implements, through the real docker CLI: each selects exactly the right containers.</summary>
public sealed class PsFilterTests : DaemonTest
{
    [RootFact]
    public void EveryFilterSelectsTheRightContainers()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("import", "-m", "another image", BusyboxImage.BuildTar(TestRoot), "bb2:latest");
        daemon.DockerChecked("network", "create", "--subnet", "10.153.0.0/24", "psnet");

        // Oldest first: web1 (running, psnet), web2 (exited 3, bb2), db1 (created), other (exited 0).
        daemon.DockerChecked("run", "-d", "--name", "web1", "--label", "tier=web", "--network", "psnet", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "web2", "--label", "tier=web", "--label", "extra", "bb2:latest", "sh", "-c", "exit 3");
        Assert.Equal("3", daemon.DockerChecked("wait", "web2").Output.Trim());
        string db1 = daemon.DockerChecked("create", "--name", "db1", "--label", "tier=db", "bb:latest", "sleep", "300").Output.Trim();
        daemon.DockerChecked("run", "-d", "--name", "other", "bb:latest", "true");
        Assert.Equal("0", daemon.DockerChecked("wait", "other").Output.Trim());

        Assert.Equal("web1", Names(daemon));
        Assert.Equal("other db1 web2 web1", Names(daemon, "-a"));
        Assert.Equal("web2 web1", Names(daemon, "-a", "--filter", "label=tier=web"));
        Assert.Equal("web2", Names(daemon, "-a", "--filter", "label=tier=web", "--filter", "label=extra"));
        Assert.Equal("db1", Names(daemon, "-a", "--filter", "label=tier=db"));
        Assert.Equal("web2 web1", Names(daemon, "-a", "--filter", "name=web"));
        Assert.Equal("web1", Names(daemon, "-a", "--filter", "name=^web1$"));
        Assert.Equal("db1 web1", Names(daemon, "-a", "--filter", "name=web1", "--filter", "name=db"));
        Assert.Equal("db1", Names(daemon, "-a", "--filter", "id=" + db1[..10]));
        Assert.Equal("other web2", Names(daemon, "--filter", "status=exited"));
        Assert.Equal("db1", Names(daemon, "--filter", "status=created"));
        Assert.Equal("web1", Names(daemon, "--filter", "status=running"));
        Assert.Equal("web2", Names(daemon, "-a", "--filter", "exited=3"));
        Assert.Equal("other", Names(daemon, "-a", "--filter", "exited=0"));
        Assert.Equal("web2", Names(daemon, "-a", "--filter", "ancestor=bb2:latest"));
        Assert.Equal("other db1 web1", Names(daemon, "-a", "--filter", "ancestor=bb"));
        Assert.Equal("web1", Names(daemon, "-a", "--filter", "network=psnet"));
        Assert.Equal("other db1 web2", Names(daemon, "-a", "--filter", "network=bridge"));
        Assert.Equal("web2 web1", Names(daemon, "-a", "--filter", "before=db1"));
        Assert.Equal("other db1", Names(daemon, "-a", "--filter", "since=web2"));
        Assert.Equal("web1", Names(daemon, "--filter", "label=tier=web", "--filter", "status=running"));
        Assert.Equal("other db1", Names(daemon, "-n", "2"));
        Assert.Equal("other", Names(daemon, "-l"));
        Assert.Equal("", Names(daemon, "-a", "--filter", "name=nosuch"));

        var bad = daemon.Docker("ps", "--filter", "status=sleeping");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("invalid filter 'status=sleeping': invalid value for state (sleeping): must be one of created, running, paused, restarting, removing, exited, dead", bad.Error, StringComparison.Ordinal);
        Assert.Contains("invalid filter 'exited=x'", daemon.Docker("ps", "-a", "--filter", "exited=x").Error, StringComparison.Ordinal);
        Assert.Contains("invalid filter 'colour'", daemon.Docker("ps", "--filter", "colour=red").Error, StringComparison.Ordinal);

        // The columns ps shows: status words as Docker's, the image, the command, the network.
        string rows = daemon.DockerChecked("ps", "-a", "--no-trunc", "--format", "{{.Names}}|{{.Status}}|{{.Image}}|{{.Command}}|{{.Networks}}|{{.State}}").Output;
        Assert.Matches(@"(?m)^web1\|Up (\d+ seconds|1 second|Less than a second)\|bb:latest\|""sleep 300""\|psnet\|running$", rows);
        Assert.Matches(@"(?m)^web2\|Exited \(3\) (\d+ seconds|1 second|Less than a second) ago\|bb2:latest\|""sh -c 'exit 3'""\|bridge\|exited$", rows);
        Assert.Matches(@"(?m)^db1\|Created\|bb:latest\|""sleep 300""\|bridge\|created$", rows);
        string ip = daemon.DockerChecked("ps", "--format", "{{json .}}").Output;
        Assert.Contains("\"Networks\":\"psnet\"", ip, StringComparison.Ordinal);

        daemon.DockerChecked("rm", "-f", "web1", "web2", "db1", "other");
        daemon.DockerChecked("network", "rm", "psnet");
    }

    /// <summary>The names ps lists, newest first, space-separated.</summary>
    private static string Names(Berthd daemon, params string[] args) =>
        string.Join(' ', daemon.DockerChecked(["ps", .. args, "--format", "{{.Names}}"]).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
}
