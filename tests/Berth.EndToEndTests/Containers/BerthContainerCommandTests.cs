using System.Text.RegularExpressions;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// Berth's own CLI running containers on berthd, with the real docker CLI against the same daemon as the reference for output:
/// <c>berth ps</c> prints what <c>docker ps</c> prints, attached runs carry both streams and the exit code.
/// </summary>
public sealed partial class BerthContainerCommandTests : DaemonTest
{
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(10);

    [RootFact]
    public void DetachedRunOnANetworkThenPsLogsInspectStopAndRmLikeDocker()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        Check(daemon.BerthCli("network", "create", "--subnet", "10.151.0.0/24", "n1"));

        string id = Check(daemon.BerthCli("run", "-d", "--name", "web1", "--network", "n1", "--ip", "10.151.0.10", "-l", "tier=web", "bb:latest", "sh", "-c", "echo started; echo warn >&2; sleep 300")).Output.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);
        Check(daemon.BerthCli("create", "--name", "idle", "bb:latest", "true"));

        foreach (string[] args in new[]
        {
            new[] { "ps" },
            ["ps", "-a"],
            ["ps", "-a", "--no-trunc"],
            ["ps", "-aq"],
            ["ps", "-a", "--format", "{{.Names}} {{.Image}} {{.Command}} {{.State}} {{.Labels}} {{.Networks}}"],
            ["ps", "--format", "table {{.ID}}\t{{.Names}}\t{{.Status}}"],
            ["ps", "--filter", "name=web1", "--format", "json"],
        })
        {
            AssertSameOutput(daemon, args);
        }

        Assert.True(Poll.Until(() => daemon.BerthCli("logs", "web1").Output == "started\n", Up), "berth logs never showed the output: " + daemon.BerthCli("logs", "web1"));
        var berthLogs = Check(daemon.BerthCli("logs", "web1"));
        var dockerLogs = daemon.DockerChecked("logs", "web1");
        Assert.Equal((dockerLogs.Output, dockerLogs.Error), (berthLogs.Output, berthLogs.Error));
        Assert.Equal("warn\n", berthLogs.Error);

        const string Format = "{{.State.Status}} {{(index .NetworkSettings.Networks \"n1\").IPAddress}} {{.Config.Labels.tier}}";
        Assert.Equal("running 10.151.0.10 web\n", Check(daemon.BerthCli("inspect", "-f", Format, "web1")).Output);
        Assert.Equal(daemon.DockerChecked("inspect", "-f", Format, "web1").Output, daemon.BerthCli("inspect", "-f", Format, "web1").Output);
        Assert.Equal("n1 bridge\n", Check(daemon.BerthCli("inspect", "-f", "{{.Name}} {{.Driver}}", "n1")).Output);

        Assert.Equal("web1\n", Check(daemon.BerthCli("stop", "-t", "1", "web1")).Output);
        Assert.Matches(@"(?m)^web1 Exited \(137\) ", Check(daemon.BerthCli("ps", "-a", "--format", "{{.Names}} {{.Status}}")).Output);
        var missing = daemon.BerthCli("rm", "web1", "idle", "nosuch");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("web1\nidle\n", missing.Output);
        Assert.Contains("nosuch", missing.Error, StringComparison.Ordinal);
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output);
        Check(daemon.BerthCli("network", "rm", "n1"));
    }

    [RootFact]
    public void AttachedRunPrintsBothStreamsAndExitsWithTheContainersCode()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        var run = daemon.BerthCli("run", "--rm", "bb:latest", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("out\n", run.Output);
        Assert.Equal("err\n", run.Error);
        Assert.True(Poll.Until(() => daemon.DockerChecked("ps", "-aq").Output.Length == 0, Up), "the --rm container was not removed: " + daemon.Docker("ps", "-a").Output);

        var kept = daemon.BerthCli("run", "--name", "kept", "bb:latest", "echo", "kept");
        Assert.Equal((0, "kept\n", ""), (kept.ExitCode, kept.Output, kept.Error));
        Assert.Equal("0\n", Check(daemon.BerthCli("wait", "kept")).Output);
        Assert.Equal("kept\n", Check(daemon.BerthCli("logs", "kept")).Output);

        var notFound = daemon.BerthCli("run", "bb:latest", "/nonexistent-command");
        Assert.NotEqual(0, notFound.ExitCode);
        Assert.Equal("", notFound.Output);

        Check(daemon.BerthCli("container", "rm", "-f", "kept"));
        foreach (string leftover in daemon.DockerChecked("ps", "-aq").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Check(daemon.BerthCli("rm", "-f", leftover));
        }

        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output);
    }

    /// <summary>
    /// Same daemon, same moment: equal byte for byte. CREATED and STATUS count seconds and may tick between the two runs, so a
    /// pair that differs is taken again; if it keeps differing, the outputs must match with those durations blanked.
    /// </summary>
    private static void AssertSameOutput(Berthd daemon, string[] args)
    {
        CmdResult berth = null!, docker = null!;
        bool same = Poll.Until(
            () =>
            {
                berth = daemon.BerthCli(args);
                docker = daemon.Docker(args);
                return berth.Output == docker.Output;
            },
            TimeSpan.FromSeconds(5));
        Assert.True(berth.Succeeded, berth.ToString());
        Assert.True(docker.Succeeded, docker.ToString());
        if (!same)
        {
            Assert.Equal(Blank(docker.Output), Blank(berth.Output));
        }
    }

    private static string Blank(string output) => Spaces().Replace(Durations().Replace(output, "T"), " ");

    [GeneratedRegex(@"(\d+|About an?|Less than a) (seconds?|minutes?|hours?|minute|hour)")]
    private static partial Regex Durations();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();

    private static CmdResult Check(CmdResult result)
    {
        Assert.True(result.Succeeded, result.ToString());
        return result;
    }
}
