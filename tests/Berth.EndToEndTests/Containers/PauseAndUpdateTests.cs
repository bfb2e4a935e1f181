using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// <c>docker pause/unpause</c> and <c>docker update</c> through the real docker CLI: a paused container's counter stops
/// (the freezer holds every process) and goes on after unpause, the state survives a berthd restart; an update of a
/// running container's memory limit is written into its cgroup and enforced (an allocation past it is OOM-killed,
/// State.OOMKilled true); Docker's 409s and 400s with Docker's messages.
/// </summary>
public sealed class PauseAndUpdateTests : DaemonTest
{
    private const string MemoryLimit =
        "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes";

    // One line on stdout every 50 ms: the log's line count is the container's progress.
    private const string Counter = "i=0; while true; do i=$((i+1)); echo $i; usleep 50000; done";

    [RootFact]
    public void PauseFreezesTheContainerUntilUnpauseAcrossABerthdRestart()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string id = daemon.DockerChecked("run", "-d", "--name", "counter", "bb:latest", "sh", "-c", Counter).Output.Trim();
        Assert.True(Poll.Until(() => Lines(daemon) > 5, TimeSpan.FromSeconds(10)), "the counter does not count\n" + daemon.Log);

        daemon.DockerChecked("pause", "counter");
        Assert.Equal("paused true true", State(daemon));
        Assert.Contains("(Paused)", daemon.DockerChecked("ps", "--filter", "name=counter", "--format", "{{.Status}}").Output, StringComparison.Ordinal);
        Assert.Equal("counter", daemon.DockerChecked("ps", "--filter", "status=paused", "--format", "{{.Names}}").Output.Trim());
        int frozen = Lines(daemon);
        Thread.Sleep(TimeSpan.FromSeconds(1));
        Assert.Equal(frozen, Lines(daemon));

        Assert.Contains($"Container {id} is already paused", daemon.Docker("pause", "counter").Error, StringComparison.Ordinal);
        Assert.Contains($"Container {id} is paused, unpause the container before exec", daemon.Docker("exec", "counter", "true").Error, StringComparison.Ordinal);
        Assert.Contains("cannot remove a paused container", daemon.Docker("rm", "counter").Error, StringComparison.Ordinal);

        // The record is the truth: a new berthd reports it paused, and it is still frozen.
        daemon.Stop();
        daemon = Restart(daemon);
        Assert.Equal("paused true true", State(daemon));
        Assert.Equal(frozen, Lines(daemon));

        daemon.DockerChecked("unpause", "counter");
        Assert.Equal("running false true", State(daemon));
        Assert.True(Poll.Until(() => Lines(daemon) > frozen + 5, TimeSpan.FromSeconds(10)), "the counter did not go on after unpause");
        Assert.Contains($"Container {id} is not paused", daemon.Docker("unpause", "counter").Error, StringComparison.Ordinal);

        string events = daemon.DockerChecked("events", "--since", "0", "--until", Now(), "--filter", "container=counter", "--format", "{{.Action}}").Output;
        Assert.Contains("pause\n", events, StringComparison.Ordinal);
        Assert.Contains("unpause\n", events, StringComparison.Ordinal);

        // A paused container is thawed by a stop (Docker's order), which then ends it; a stopped one cannot be paused.
        daemon.DockerChecked("pause", "counter");
        daemon.DockerChecked("stop", "-t", "1", "counter");
        Assert.Equal("exited false false", State(daemon));
        Assert.Contains($"Container {id} is not running", daemon.Docker("pause", "counter").Error, StringComparison.Ordinal);

        daemon.DockerChecked("start", "counter");
        daemon.DockerChecked("pause", "counter");
        daemon.DockerChecked("rm", "-f", "counter");
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
    }

    [RootFact]
    public void UpdateChangesTheLiveMemoryLimitAndAnAllocationPastItIsOomKilled()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // dd's 64 MiB buffer fits 256m; it starts once /tmp/go exists, after the update (taken away: the container's
        // files outlive the run, and the next start below must wait again).
        daemon.DockerChecked("run", "-d", "--name", "grow", "--memory", "256m", "bb:latest", "sh", "-c",
            "while [ ! -f /tmp/go ]; do usleep 50000; done; rm /tmp/go; exec dd if=/dev/zero of=/dev/null bs=64M count=1");
        Assert.Equal("268435456", daemon.DockerChecked("exec", "grow", "sh", "-c", MemoryLimit).Output.Trim());

        var update = daemon.DockerChecked("update", "--memory", "32m", "grow");
        Assert.Equal("grow", update.Output.Trim());
        Assert.Equal("33554432", daemon.DockerChecked("exec", "grow", "sh", "-c", MemoryLimit).Output.Trim());
        Assert.Equal("33554432 536870912", daemon.DockerChecked("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}", "grow").Output.Trim());
        Assert.Equal("false", daemon.DockerChecked("inspect", "-f", "{{.State.OOMKilled}}", "grow").Output.Trim());

        daemon.DockerChecked("exec", "grow", "touch", "/tmp/go");
        Assert.Equal("137", daemon.DockerChecked("wait", "grow").Output.Trim());
        Assert.Equal("exited 137 true", daemon.DockerChecked("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}", "grow").Output.Trim());
        string events = daemon.DockerChecked("events", "--since", "0", "--until", Now(), "--filter", "container=grow", "--format", "{{.Action}}").Output;
        Assert.Contains("update\n", events, StringComparison.Ordinal);
        Assert.Contains("oom\ndie\n", events, StringComparison.Ordinal);

        // The next start clears it (the limit stays: the stopped container's record holds it).
        daemon.DockerChecked("start", "grow");
        Assert.Equal("running false 33554432", daemon.DockerChecked("inspect", "-f", "{{.State.Status}} {{.State.OOMKilled}} {{.HostConfig.Memory}}", "grow").Output.Trim());
        daemon.DockerChecked("rm", "-f", "grow");
    }

    [RootFact]
    public void UpdateOfTheRestartPolicyAndBadValuesGetDockersAnswers()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        string id = daemon.DockerChecked("run", "-d", "--name", "web", "--memory", "64m", "bb:latest", "sleep", "600").Output.Trim();

        daemon.DockerChecked("update", "--restart", "on-failure:3", "--cpus", "0.5", "--pids-limit", "40", "web");
        Assert.Equal("on-failure 3 500000000 40",
            daemon.DockerChecked("inspect", "-f", "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}", "web").Output.Trim());
        string pidsMax = daemon.DockerChecked("exec", "web", "sh", "-c", "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max").Output.Trim();
        Assert.Equal("40", pidsMax);

        (string[] Args, string Message)[] refused =
        [
            (["--memory", "1k"], "Minimum memory limit allowed is 6MB"),
            (["--memory", "1g"], $"Cannot update container {id}: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time"),
            (["--cpu-period", "50000"], $"Cannot update container {id}: Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set"),
            (["--cpuset-cpus", "99"], "Requested CPUs are not available - requested 99"),
            (["--blkio-weight", "5"], "Range of blkio weight is from 10 to 1000"),
            (["--restart", "sometimes"], "invalid restart policy"),
        ];
        foreach (var (args, message) in refused)
        {
            var result = daemon.Docker(["update", .. args, "web"]);
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(message, result.Error, StringComparison.Ordinal);
        }

        string removable = daemon.DockerChecked("run", "-d", "--rm", "bb:latest", "sleep", "600").Output.Trim();
        Assert.Contains($"Cannot update container {removable}: Restart policy cannot be updated because AutoRemove is enabled for the container",
            daemon.Docker("update", "--restart", "always", removable).Error, StringComparison.Ordinal);
        daemon.DockerChecked("rm", "-f", "web", removable);
    }

    private static int Lines(Berthd daemon) =>
        daemon.DockerChecked("logs", "counter").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    private static string State(Berthd daemon) =>
        daemon.DockerChecked("inspect", "-f", "{{.State.Status}} {{.State.Paused}} {{.State.Running}}", "counter").Output.Trim();

    private static string Now() => DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
