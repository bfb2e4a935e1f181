using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// <c>--memory</c>, <c>--cpus</c>, <c>--pids-limit</c> and friends through the real docker CLI: the kernel enforces
/// them (an allocation past the memory limit is OOM-killed, a fork loop stops at the pids limit, the CFS quota is
/// in the container's own cgroup), inspect shows them with Docker's names, and bad values get Docker's 400s.
/// The container reads its cgroup from inside (cgroup namespace): cgroup v2's files, or v1's per-controller ones.
/// </summary>
public sealed class ResourceLimitTests : DaemonTest
{
    private const string CpuQuota =
        "cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)";

    private const string MemoryLimit =
        "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes";

    // Only builtins after the fork loop: once the limit is reached, `cat` could not start. The loop runs in a
    // subshell, which dies at the first failed fork ("can't fork"); its sleeps stay, children of the outer shell.
    private const string ForkLoop =
        "p=/sys/fs/cgroup/pids; [ -d $p ] || p=/sys/fs/cgroup; " +
        "(i=0; while [ $i -lt 60 ]; do sleep 30 & i=$((i+1)); done); " +
        "read max < $p/pids.max; read current < $p/pids.current; echo \"$max $current\"";

    [RootFact]
    public void MemoryCpuAndPidsLimitsAreEnforcedByTheKernel()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // --memory 16m (swap 32m, Docker's default of twice the limit): a 64 MiB buffer touched in full is OOM-killed.
        Assert.Equal("16777216", daemon.DockerChecked("run", "--rm", "--memory", "16m", "bb:latest", "sh", "-c", MemoryLimit).Output.Trim());
        var oom = daemon.Docker("run", "--rm", "--memory", "16m", "bb:latest", "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1");
        Assert.True(oom.ExitCode == 137, $"exit {oom.ExitCode}: {oom.Error}");
        Assert.Equal(0, daemon.Docker("run", "--rm", "bb:latest", "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1").ExitCode);

        // --cpus 0.5: a CFS quota of 50 ms per 100 ms in the container's cgroup; --cpu-quota/--cpu-period as given.
        Assert.Equal("50000 100000", daemon.DockerChecked("run", "--rm", "--cpus", "0.5", "bb:latest", "sh", "-c", CpuQuota).Output.Trim());
        Assert.Equal("25000 50000", daemon.DockerChecked("run", "--rm", "--cpu-quota", "25000", "--cpu-period", "50000", "bb:latest", "sh", "-c", CpuQuota).Output.Trim());

        // --pids-limit 20: the fork loop stops at 20 processes (the outer shell and 18 sleeps once the subshell died).
        var forks = daemon.Docker("run", "--rm", "--pids-limit", "20", "bb:latest", "sh", "-c", ForkLoop);
        Assert.True(forks.ExitCode == 0, forks.Error);
        string[] pids = forks.Output.Trim().Split(' ');
        Assert.Equal("20", pids[0]);
        Assert.InRange(int.Parse(pids[1], System.Globalization.CultureInfo.InvariantCulture), 18, 20);
        Assert.Contains("can't fork", forks.Error, StringComparison.Ordinal);
    }

    [RootFact]
    public void InspectShowsTheLimitsAndBadValuesGetDockersMessages()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        daemon.DockerChecked("create", "--name", "limited", "--memory", "64m", "--memory-reservation", "32m", "--cpus", "0.5",
            "--cpu-shares", "512", "--cpuset-cpus", "0", "--pids-limit", "50", "--oom-kill-disable", "bb:latest");
        Assert.Equal("67108864 134217728 33554432 500000000 512 0 50 true",
            daemon.DockerChecked("inspect", "-f",
                "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.MemoryReservation}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.CpusetCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.OomKillDisable}}",
                "limited").Output.Trim());
        daemon.DockerChecked("create", "--name", "free", "bb:latest");
        Assert.Equal("0 0 0 0 <no value>", // the CLI renders JSON null so
           
            daemon.DockerChecked("inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuQuota}} {{.HostConfig.PidsLimit}}", "free").Output.Trim());
        daemon.DockerChecked("rm", "limited", "free");

        int cpus = Environment.ProcessorCount;
        (string[] Args, string Message)[] refused =
        [
            (["--memory", "1k"], "Minimum memory limit allowed is 6MB"),
            (["--memory", "16m", "--memory-swap", "8m"], "Minimum memoryswap limit should be larger than memory limit, see usage"),
            (["--cpus", (cpus + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)], $"Range of CPUs is from 0.01 to {cpus}.00, as there are only {cpus} CPUs available"),
            (["--cpus", "0.5", "--cpu-period", "50000"], "Conflicting options: Nano CPUs and CPU Period cannot both be set"),
            (["--cpuset-cpus", "99"], $"Requested CPUs are not available - requested 99, available: 0-{cpus - 1}"),
        ];
        foreach (var (args, message) in refused)
        {
            var result = daemon.Docker(["create", .. args, "bb:latest"]);
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(message, result.Error, StringComparison.Ordinal);
        }

        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
    }
}
