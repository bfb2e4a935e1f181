using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// Restart policies and <c>docker restart</c> through the real docker CLI: the restart manager's
/// decisions (on-failure with a limit, always, unless-stopped, a manual stop), restarts across a
/// berthd crash, and the address a container keeps across a restart.
/// </summary>
public sealed class RestartPolicyTests : DaemonTest
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    [RootFact]
    public void OnFailureWithALimitEndsExitedAfterThatManyRestarts()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("run", "-d", "--name", "flaky", "--restart", "on-failure:2", "bb:latest", "sh", "-c", "exit 1");

        // 100 ms, then 200 ms of backoff: two restarts, then the policy gives up.
        Assert.True(Poll.Until(() => State(daemon, "flaky") == "exited 2 1", Within), "on-failure:2 did not end exited after two restarts: " + State(daemon, "flaky") + "\n" + daemon.Log);
        Assert.Equal("on-failure 2", daemon.DockerChecked("inspect", "-f", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}", "flaky").Output.Trim());
        Assert.Matches(@"^Exited \(1\) ", daemon.DockerChecked("ps", "-a", "--filter", "name=flaky", "--format", "{{.Status}}").Output);

        // A clean exit is not a failure. Bad policies are the daemon's 400s, and make nothing.
        daemon.DockerChecked("run", "-d", "--name", "clean", "--restart", "on-failure", "bb:latest", "true");
        Assert.True(Poll.Until(() => State(daemon, "clean") == "exited 0 0", Within), State(daemon, "clean"));
        Assert.Contains("invalid restart policy: unknown policy 'bogus'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'",
            daemon.Docker("create", "--restart", "bogus", "bb:latest", "true").Error, StringComparison.Ordinal);
        Assert.Contains("invalid restart policy: maximum retry count can only be used with 'on-failure'",
            daemon.Docker("create", "--restart", "always:3", "bb:latest", "true").Error, StringComparison.Ordinal);
        Assert.Equal(2, daemon.DockerChecked("ps", "-aq").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        daemon.DockerChecked("rm", "flaky", "clean");
    }

    [RootFact]
    public void AlwaysComesBackAfterItsProcessDiesAndAfterABerthdCrash()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("run", "-d", "--name", "keeper", "--restart", "always", "bb:latest", "sleep", "300");
        int first = Pid(daemon, "keeper");

        // The process dies (not through docker): the policy brings it back, a new process, RestartCount 1.
        Cmd.Check("kill", "-KILL", first.ToString(CultureInfo.InvariantCulture));
        Assert.True(Poll.Until(() => State(daemon, "keeper") == "running 1 0" && Pid(daemon, "keeper") != first, Within),
            "keeper did not come back after its process was killed: " + State(daemon, "keeper") + "\n" + daemon.Log);
        int second = Pid(daemon, "keeper");

        // berthd crashes, the process dies while no berthd watches, the next berthd restarts it.
        daemon.Kill();
        Cmd.Check("kill", "-KILL", second.ToString(CultureInfo.InvariantCulture));
        var again = Restart(daemon);
        Assert.True(Poll.Until(() => State(again, "keeper").StartsWith("running ", StringComparison.Ordinal) && Pid(again, "keeper") is int p && p != second && p != 0, Within),
            "keeper did not come back after berthd restarted: " + State(again, "keeper") + "\n" + again.Log);
        Assert.True(Cmd.Run("kill", "-0", Pid(again, "keeper").ToString(CultureInfo.InvariantCulture)).Succeeded, "the restarted process is not alive");
        again.DockerChecked("rm", "-f", "keeper");
        again.Stop();
    }

    [RootFact]
    public void DockerStopKeepsAlwaysAndUnlessStoppedDownUntilBerthdStartsAgain()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("run", "-d", "--name", "always", "--restart", "always", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "unless", "--restart", "unless-stopped", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "witness", "--restart", "always", "bb:latest", "sleep", "300");
        daemon.DockerChecked("stop", "-t", "1", "always", "unless");

        // The witness's process dies after the stops: once it is back, the restart manager has had its
        // chance with the stopped ones too (their delay would have been 100 ms as well).
        int witness = Pid(daemon, "witness");
        Cmd.Check("kill", "-KILL", witness.ToString(CultureInfo.InvariantCulture));
        Assert.True(Poll.Until(() => State(daemon, "witness") == "running 1 0" && Pid(daemon, "witness") != witness, Within), State(daemon, "witness"));
        Assert.StartsWith("exited 0 ", State(daemon, "always"), StringComparison.Ordinal);
        Assert.StartsWith("exited 0 ", State(daemon, "unless"), StringComparison.Ordinal);

        // A clean berthd restart: always comes back, unless-stopped stays stopped (it was stopped by the user).
        daemon.Stop();
        var again = Restart(daemon);
        Assert.True(Poll.Until(() => State(again, "always").StartsWith("running ", StringComparison.Ordinal), Within), "always did not come back with berthd: " + State(again, "always") + "\n" + again.Log);
        Assert.StartsWith("exited ", State(again, "unless"), StringComparison.Ordinal);
        Assert.StartsWith("running ", State(again, "witness"), StringComparison.Ordinal);

        // docker start clears the manual stop: unless-stopped restarts again when its process dies.
        again.DockerChecked("start", "unless");
        int unless = Pid(again, "unless");
        Cmd.Check("kill", "-KILL", unless.ToString(CultureInfo.InvariantCulture));
        Assert.True(Poll.Until(() => State(again, "unless") == "running 1 0" && Pid(again, "unless") != unless, Within), State(again, "unless"));
        again.DockerChecked("rm", "-f", "always", "unless", "witness");
        again.Stop();
    }

    [RootFact]
    public void DockerRestartGivesANewStartAndKeepsTheAddressAndRenameRenames()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.152.0.0/24", "restartnet");
        daemon.DockerChecked("run", "-d", "--name", "svc", "--network", "restartnet", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "other", "--network", "restartnet", "bb:latest", "sleep", "300");
        string before = daemon.DockerChecked("inspect", "-f", "{{.State.StartedAt}} {{.NetworkSettings.Networks.restartnet.IPAddress}}", "svc").Output.Trim();
        int pid = Pid(daemon, "svc");

        daemon.DockerChecked("restart", "-t", "1", "svc");
        string after = daemon.DockerChecked("inspect", "-f", "{{.State.StartedAt}} {{.NetworkSettings.Networks.restartnet.IPAddress}}", "svc").Output.Trim();
        Assert.NotEqual(before.Split(' ')[0], after.Split(' ')[0]);
        Assert.Equal(before.Split(' ')[1], after.Split(' ')[1]);
        Assert.NotEqual(pid, Pid(daemon, "svc"));
        Assert.Equal("running 0 0", State(daemon, "svc"));
        Assert.True(InNetns.PingWithin($"/proc/{Pid(daemon, "other")}/ns/net", after.Split(' ')[1], Within), "the restarted container does not answer at its address");

        // A stopped container is just started; an unknown one is a 404.
        daemon.DockerChecked("stop", "-t", "1", "svc");
        daemon.DockerChecked("restart", "svc");
        Assert.Equal("running 0 0", State(daemon, "svc"));
        Assert.Contains("No such container: nosuch", daemon.Docker("restart", "nosuch").Error, StringComparison.Ordinal);

        // docker rename, running: the new name answers, the old one is gone, a taken name is a conflict.
        daemon.DockerChecked("rename", "svc", "svc2");
        Assert.Equal("/svc2 running", daemon.DockerChecked("inspect", "-f", "{{.Name}} {{.State.Status}}", "svc2").Output.Trim());
        Assert.Contains("No such container: svc", daemon.Docker("container", "inspect", "svc").Error, StringComparison.Ordinal);
        Assert.Contains("Conflict. The container name \"/other\" is already in use", daemon.Docker("rename", "svc2", "other").Error, StringComparison.Ordinal);
        daemon.DockerChecked("rm", "-f", "svc2", "other");
        daemon.DockerChecked("network", "rm", "restartnet");
    }

    /// <summary>"status restartcount exitcode".</summary>
    private static string State(Berthd daemon, string name) =>
        daemon.Docker("inspect", "-f", "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}", name).Output.Trim();

    private static int Pid(Berthd daemon, string name) =>
        int.TryParse(daemon.Docker("inspect", "-f", "{{.State.Pid}}", name).Output.Trim(), CultureInfo.InvariantCulture, out int pid) ? pid : 0;
}
