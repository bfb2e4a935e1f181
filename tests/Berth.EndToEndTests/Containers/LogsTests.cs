using System.Globalization;
using System.Text.RegularExpressions;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary><c>docker logs</c> with the real CLI: follow, tail, timestamps, since, both streams, TTY, and logs kept across runs.</summary>
public sealed partial class LogsTests : DaemonTest
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [RootFact]
    public void FollowStreamsLinesAsTheyComeAndReturnsAtTheExit()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("run", "-d", "--name", "ticker", "bb:latest", "sh", "-c", "for i in 1 2 3 4 5; do echo line$i; sleep 0.4; done; echo oops >&2");

        using var follow = ClientProcess.Docker(daemon, "logs", "-f", "ticker");
        Assert.True(follow.WaitForOutput("line2\n", Deadline), "docker logs -f showed nothing: " + follow.Output + follow.Error);
        Assert.Equal("running", daemon.DockerChecked("inspect", "-f", "{{.State.Status}}", "ticker").Output.Trim());
        Assert.False(follow.HasExited, "docker logs -f returned while the container still ran");

        Assert.Equal(0, follow.WaitForExit(Deadline));
        Assert.Equal("line1\nline2\nline3\nline4\nline5\n", follow.Output);
        Assert.Equal("oops\n", follow.Error);

        Assert.Equal("line4\nline5\n", daemon.DockerChecked("logs", "--tail", "3", "ticker").Output);
        Assert.Equal("", daemon.DockerChecked("logs", "--tail", "0", "ticker").Output);

        string[] stamped = daemon.DockerChecked("logs", "-t", "ticker").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, stamped.Length);
        Assert.All(stamped, line => Assert.Matches(StampedLine(), line));

        // --since the time of line4: the CLI sends it as unix seconds with nine fractional digits.
        string line4Time = stamped[3].Split(' ')[0];
        Assert.Equal("line4\nline5\n", daemon.DockerChecked("logs", "--since", line4Time, "ticker").Output);
        Assert.Equal("line1\nline2\nline3\n", daemon.DockerChecked("logs", "--until", stamped[2].Split(' ')[0], "ticker").Output);
        Assert.Equal("", daemon.DockerChecked("logs", "--since", DateTimeOffset.UtcNow.AddMinutes(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), "ticker").Output);
        daemon.DockerChecked("rm", "ticker");
    }

    [RootFact]
    public void LogsOfEveryRunStayAndTtyLogsAreUnframed()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        var first = daemon.Docker("run", "--name", "twice", "bb:latest", "sh", "-c", "echo run at $(cat /proc/uptime | cut -d' ' -f1)");
        Assert.Equal(0, first.ExitCode);
        var second = daemon.Docker("start", "-a", "twice");
        Assert.Equal(0, second.ExitCode);
        Assert.StartsWith("run at ", second.Output, StringComparison.Ordinal);
        Assert.NotEqual(first.Output, second.Output);
        Assert.Equal(first.Output + second.Output, daemon.DockerChecked("logs", "twice").Output);

        daemon.DockerChecked("run", "-d", "-t", "--name", "tty", "bb:latest", "sh", "-c", "echo one; echo two >&2");
        Assert.Equal("0", daemon.DockerChecked("wait", "tty").Output.Trim());
        var tty = daemon.DockerChecked("logs", "tty");
        Assert.Equal("one\r\ntwo\r\n", tty.Output);
        Assert.Equal("", tty.Error);
        daemon.DockerChecked("rm", "twice", "tty");
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line\d$")]
    private static partial Regex StampedLine();
}
