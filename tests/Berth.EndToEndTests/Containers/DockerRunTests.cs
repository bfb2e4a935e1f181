using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// Detached <c>docker run</c> through the real docker CLI against berthd: containers run by runc
/// under conmon, in namespaces Berth made and wired before their first instruction.
/// </summary>
public sealed class DockerRunTests : DaemonTest
{
    private static readonly TimeSpan Up = TimeSpan.FromSeconds(10);

    [RootFact]
    public void TheGuidesPrinterOnMacvlanAnswersTheLan()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        LanPeer.Ip("addr", "add", "192.168.1.20/24", "dev", "eth0");

        daemon.DockerChecked("network", "create", "-d", "macvlan", "--subnet=192.168.1.0/24", "--gateway=192.168.1.1", "-o", "parent=eth0", "my-macvlan");
        string id = daemon.DockerChecked("run", "-d", "--name", "printer", "--network", "my-macvlan", "--ip", "192.168.1.50", "bb:latest", "sh", "-c", "echo printing; sleep 300").Output.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);

        Assert.True(LanPeer.PingWithin("192.168.1.50", Up), "the LAN cannot reach the printer at 192.168.1.50\n" + daemon.Log);
        Assert.Matches(@"printer\s*$", daemon.DockerChecked("ps").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Equal("running 192.168.1.50",
            daemon.DockerChecked("inspect", "-f", "{{.State.Status}} {{(index .NetworkSettings.Networks \"my-macvlan\").IPAddress}}", "printer").Output.Trim());
        Assert.True(Poll.Until(() => daemon.Docker("logs", "printer").Output.Contains("printing", StringComparison.Ordinal), Up));

        daemon.DockerChecked("rm", "-f", "printer");
        Assert.False(LanPeer.Ping("192.168.1.50"), "the printer still answers after docker rm -f");
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
    }

    [RootFact]
    public void ContainersOnABridgeNetworkReachEachOtherAndReportExitCodesAndLogs()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.150.0.0/24", "appnet");
        daemon.DockerChecked("run", "-d", "--name", "server", "--network", "appnet", "--ip", "10.150.0.10", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "client", "--network", "appnet", "bb:latest", "sh", "-c", "ping -c1 -W2 10.150.0.10 && echo REACHED");
        Assert.Equal("0", daemon.DockerChecked("wait", "client").Output.Trim());
        Assert.Contains("REACHED", daemon.DockerChecked("logs", "client").Output, StringComparison.Ordinal);

        daemon.DockerChecked("run", "-d", "--name", "failing", "bb:latest", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.Equal("3", daemon.DockerChecked("wait", "failing").Output.Trim());
        var logs = daemon.DockerChecked("logs", "failing");
        Assert.Equal("out\n", logs.Output);
        Assert.Equal("err\n", logs.Error);
        Assert.Contains("Exited (3)", daemon.DockerChecked("ps", "-a", "--filter", "name=failing").Output, StringComparison.Ordinal);

        // --network none: only lo; --network host: the docker host's own interfaces.
        daemon.DockerChecked("run", "-d", "--name", "isolated", "--network", "none", "bb:latest", "ip", "-o", "link");
        daemon.DockerChecked("wait", "isolated");
        string isolated = daemon.DockerChecked("logs", "isolated").Output;
        Assert.Single(isolated.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("lo:", isolated, StringComparison.Ordinal);
        daemon.DockerChecked("run", "-d", "--name", "hosted", "--network", "host", "bb:latest", "ip", "-o", "addr");
        daemon.DockerChecked("wait", "hosted");
        Assert.Contains("10.77.0.10/24", daemon.DockerChecked("logs", "hosted").Output, StringComparison.Ordinal);

        // A network in use cannot be removed; stop and rm work.
        Assert.Contains("has active endpoints", daemon.Docker("network", "rm", "appnet").Error, StringComparison.Ordinal);
        daemon.DockerChecked("stop", "-t", "1", "server");
        daemon.DockerChecked("rm", "server", "client", "failing", "isolated", "hosted");
        daemon.DockerChecked("network", "rm", "appnet");
    }

    [RootFact]
    public void AttachedRunCarriesOutputAndTheExitCode()
    {
        // The guide's `docker run --rm <image> sh -c '...'`: attach (101), wait for removal, start.
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        var run = daemon.Docker("run", "--rm", "bb:latest", "sh", "-c", "echo hello from busybox; echo to stderr >&2; exit 4");
        Assert.Equal(4, run.ExitCode);
        Assert.Equal("hello from busybox\n", run.Output);
        Assert.Equal("to stderr\n", run.Error);
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());

        var kept = daemon.Docker("run", "--name", "kept", "bb:latest", "echo", "kept");
        Assert.Equal(0, kept.ExitCode);
        Assert.Equal("kept\n", kept.Output);
        Assert.Contains("Exited (0)", daemon.DockerChecked("ps", "-a").Output, StringComparison.Ordinal);

        // Network calls on other connections are not disturbed by the attach handler.
        Assert.Contains("bridge", daemon.DockerChecked("network", "ls").Output, StringComparison.Ordinal);
        daemon.DockerChecked("rm", "kept");
        Assert.True(Poll.Until(() => daemon.DockerChecked("ps", "-aq").Output.Trim().Length == 0, TimeSpan.FromSeconds(10)), "containers left: " + daemon.Docker("ps", "-a").Output);
    }

    [RootFact]
    public void RunningContainersSurviveADaemonCrashAndAreAdopted()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        LanPeer.Ip("addr", "add", "192.168.1.20/24", "dev", "eth0");
        daemon.DockerChecked("network", "create", "-d", "macvlan", "--subnet=192.168.1.0/24", "-o", "parent=eth0", "lan");
        daemon.DockerChecked("run", "-d", "--name", "keeper", "--network", "lan", "--ip", "192.168.1.60", "bb:latest", "sleep", "300");
        Assert.True(LanPeer.PingWithin("192.168.1.60", Up));

        daemon.Kill();
        Assert.True(LanPeer.Ping("192.168.1.60"), "the container died with berthd");

        var again = Restart(daemon);
        Assert.Contains("keeper", again.DockerChecked("ps").Output, StringComparison.Ordinal);
        again.DockerChecked("stop", "-t", "1", "keeper");
        Assert.Contains("Exited (137)", again.DockerChecked("ps", "-a").Output, StringComparison.Ordinal);
        again.DockerChecked("rm", "keeper");
        again.DockerChecked("network", "rm", "lan");
        again.Stop();
    }
}
