using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// HEALTHCHECK through the real docker CLI: berthd probes the container with the exec engine, and inspect,
/// <c>docker ps</c> and its <c>health=</c> filter follow the probes' outcomes.
/// </summary>
public sealed class HealthcheckTests : DaemonTest
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    [RootFact]
    public void HealthGoesFromStartingToUnhealthyToHealthyAndResumesAfterARestart()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string id = daemon.DockerChecked("run", "-d", "--name", "probed", "--health-cmd", "test -f /tmp/ok", "--health-interval", "1s", "--health-retries", "2", "bb:latest", "sleep", "300").Output.Trim();
        Assert.Equal("starting", Health(daemon)); // the first probe comes an interval after the start
        Assert.Contains("(health: starting)", daemon.DockerChecked("ps").Output, StringComparison.Ordinal);

        // Two failed probes in a row: unhealthy.
        Assert.True(Poll.Until(() => Health(daemon) == "unhealthy", Soon), "never unhealthy: " + Health(daemon));
        Assert.Contains("(unhealthy)", daemon.DockerChecked("ps").Output, StringComparison.Ordinal);
        Assert.Equal(id, daemon.DockerChecked("ps", "-q", "--no-trunc", "--filter", "health=unhealthy").Output.Trim());
        Assert.Equal("", daemon.DockerChecked("ps", "-q", "--filter", "health=healthy").Output.Trim());
        string[] failing = daemon.DockerChecked("inspect", "-f", "{{.State.Health.FailingStreak}} {{(index .State.Health.Log 0).ExitCode}} {{.Config.Healthcheck.Test}}", "probed").Output.Trim().Split(' ', 3);
        Assert.True(int.Parse(failing[0], System.Globalization.CultureInfo.InvariantCulture) >= 2, "failing streak " + failing[0]);
        Assert.Equal("1", failing[1]);
        Assert.Equal("[CMD-SHELL test -f /tmp/ok]", failing[2]);

        // The check passes once the file exists.
        daemon.DockerChecked("exec", "probed", "touch", "/tmp/ok");
        Assert.True(Poll.Until(() => Health(daemon) == "healthy", Soon), "never healthy: " + Health(daemon));
        Assert.Contains("(healthy)", daemon.DockerChecked("ps").Output, StringComparison.Ordinal);
        Assert.Equal(id, daemon.DockerChecked("ps", "-q", "--no-trunc", "--filter", "health=healthy").Output.Trim());
        string[] healthy = daemon.DockerChecked("inspect", "-f", "{{.State.Health.FailingStreak}}{{range .State.Health.Log}} {{.ExitCode}}{{end}}", "probed").Output.Trim().Split(' ');
        Assert.Equal("0", healthy[0]);
        Assert.Equal("0", healthy[^1]);
        Assert.InRange(healthy.Length - 1, 1, 5);

        // berthd restarts: the monitor resumes for the running container, from starting, as Docker's does.
        daemon.Stop();
        var again = Restart(daemon);
        Assert.True(Poll.Until(() => Health(again) == "healthy", Soon), "health not resumed after a restart: " + Health(again));

        // The container stops: probing stops with it.
        again.DockerChecked("stop", "-t", "1", "probed");
        string lastProbe = again.DockerChecked("inspect", "-f", "{{range .State.Health.Log}}{{.End}} {{end}}", "probed").Output.Trim();
        Assert.False(Poll.Until(() => again.DockerChecked("inspect", "-f", "{{range .State.Health.Log}}{{.End}} {{end}}", "probed").Output.Trim() != lastProbe, TimeSpan.FromSeconds(2.5)),
            "probes went on after the container stopped");
        again.DockerChecked("rm", "probed");
        again.Stop();
    }

    [RootFact]
    public void AProbeThatTakesTooLongIsKilledAndCountsAsAFailure()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string marker = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        daemon.DockerChecked("run", "-d", "--name", "slow", "--health-cmd", "sleep " + marker, "--health-interval", "200ms", "--health-timeout", "300ms", "--health-retries", "1", "bb:latest", "sleep", "300");
        Assert.True(Poll.Until(() => daemon.DockerChecked("inspect", "-f", "{{.State.Health.Status}}", "slow").Output.Trim() == "unhealthy", Soon));
        Assert.Equal("-1 Health check exceeded timeout (300ms)",
            daemon.DockerChecked("inspect", "-f", "{{with index .State.Health.Log 0}}{{.ExitCode}} {{.Output}}{{end}}", "slow").Output.Trim());
        daemon.DockerChecked("rm", "-f", "slow");
        Assert.True(Poll.Until(() => Cmd.Run("pgrep", "-f", "^sleep " + marker + "$").Output.Trim().Length == 0, Soon), "a probe outlived its container");
    }

    private static string Health(Berthd daemon) =>
        daemon.DockerChecked("inspect", "-f", "{{.State.Health.Status}}", "probed").Output.Trim();
}
