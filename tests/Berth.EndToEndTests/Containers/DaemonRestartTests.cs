using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>A berthd killed with running and stopped containers loses nothing and hands out no address twice.</summary>
public sealed class DaemonRestartTests : DaemonTest
{
    [RootFact]
    public void AfterACrashAddressesInUseAreNotHandedOutAgainAndStoppedContainersKeepTheirState()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.170.0.0/29", "small");
        daemon.DockerChecked("run", "-d", "--name", "first", "--network", "small", "bb:latest", "sleep", "300");
        Assert.Equal(5, daemon.Docker("run", "--name", "done", "--network", "small", "bb:latest", "sh", "-c", "exit 5").ExitCode);
        string firstIp = daemon.DockerChecked("inspect", "-f", "{{.NetworkSettings.Networks.small.IPAddress}}", "first").Output.Trim();
        Assert.StartsWith("10.170.0.", firstIp, StringComparison.Ordinal);

        daemon.Kill();
        var again = Restart(daemon);

        // The stopped container is still there with its exit code; the running one still runs with its address.
        Assert.Equal("exited 5", again.DockerChecked("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "done").Output.Trim());
        Assert.Equal($"running {firstIp}", again.DockerChecked("inspect", "-f", "{{.State.Status}} {{.NetworkSettings.Networks.small.IPAddress}}", "first").Output.Trim());

        // A /29 has five addresses for containers: four more fit, none of them first's, and they reach it.
        var others = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            again.DockerChecked("run", "-d", "--name", $"next{i}", "--network", "small", "bb:latest", "sleep", "300");
            others.Add(again.DockerChecked("inspect", "-f", "{{.NetworkSettings.Networks.small.IPAddress}}", $"next{i}").Output.Trim());
        }

        Assert.DoesNotContain(firstIp, others);
        Assert.Equal(others.Count, others.Distinct().Count());
        Assert.Equal(0, again.Docker("exec", "next3", "ping", "-c1", "-W2", firstIp).ExitCode);

        // The pool is now full: the next container is refused rather than given an address in use.
        var refused = again.Docker("run", "-d", "--name", "overflow", "--network", "small", "bb:latest", "sleep", "300");
        Assert.NotEqual(0, refused.ExitCode);
    }
}
