using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// <c>docker top</c> and <c>docker stats</c> through the real docker CLI (numbers that move: a busy loop's CPU, the
/// bytes pings bring), and the resource flags beyond memory and CPU: <c>--ulimit</c> seen by <c>ulimit</c> inside,
/// <c>--shm-size</c> by <c>df</c>, blkio throttles and swappiness in the container's cgroup, inspect's HostConfig, and
/// Docker's warnings for what the host's cgroups lack.
/// </summary>
public sealed class TopStatsAndResourceFlagTests : DaemonTest
{
    private const string Format = "{{.CPUPerc}}|{{.MemUsage}}|{{.NetIO}}|{{.PIDs}}";

    [RootFact]
    public void TopListsTheContainersProcessesAndStatsShowNumbersThatMove()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.181.0.0/24", "statsnet");
        daemon.DockerChecked("run", "-d", "--name", "busy", "--network", "statsnet", "--ip", "10.181.0.10", "bb:latest", "sh", "-c", "while :; do :; done");
        daemon.DockerChecked("run", "-d", "--name", "idle", "--network", "statsnet", "bb:latest", "sleep", "600");

        string pid = daemon.DockerChecked("inspect", "-f", "{{.State.Pid}}", "busy").Output.Trim();
        string[] top = daemon.DockerChecked("top", "busy").Output.Trim().Split('\n');
        Assert.StartsWith("UID", top[0], StringComparison.Ordinal);
        Assert.Contains(top.Skip(1), row => row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] == pid && row.Contains("while :; do :; done", StringComparison.Ordinal));
        Assert.DoesNotContain(top, row => row.Contains("sleep 600", StringComparison.Ordinal));
        Assert.Contains("PID", daemon.DockerChecked("top", "idle", "-o", "pid,comm").Output, StringComparison.Ordinal);

        // The busy loop takes a whole CPU (the CLI's CPU % is per CPU: up to 100 % per busy thread).
        string[] busy = daemon.DockerChecked("stats", "--no-stream", "--format", Format, "busy").Output.Trim().Split('|');
        Assert.True(Percent(busy[0]) > 50, "busy loop at " + busy[0]);
        Assert.Contains(" / ", busy[1], StringComparison.Ordinal);
        Assert.Equal("1", busy[3]);

        // Pings from the sibling: busy's eth0 receives them (NetIO's first number: received).
        double before = Bytes(busy[2].Split(" / ")[0]);
        daemon.DockerChecked("exec", "idle", "ping", "-c", "20", "-i", "0.05", "-s", "1000", "10.181.0.10");
        string[] after = daemon.DockerChecked("stats", "--no-stream", "--format", Format, "busy").Output.Trim().Split('|');
        Assert.True(Bytes(after[2].Split(" / ")[0]) >= before + (20 * 1000), $"received {after[2]} after 20 pings of 1000 bytes; before: {busy[2]}");
        string[] idle = daemon.DockerChecked("stats", "--no-stream", "--format", Format, "idle").Output.Trim().Split('|');
        Assert.True(Percent(idle[0]) < 10, "idle container at " + idle[0]);

        // A stopped container: Docker's zero sample; top is a 409.
        daemon.DockerChecked("stop", "-t", "0", "idle");
        Assert.Equal("0.00%|0B / 0B|0B / 0B|0", daemon.DockerChecked("stats", "--no-stream", "--format", Format, "idle").Output.Trim());
        string idleId = daemon.DockerChecked("inspect", "-f", "{{.Id}}", "idle").Output.Trim();
        Assert.Contains($"Container {idleId} is not running", daemon.Docker("top", "idle").Error, StringComparison.Ordinal);

        // A stream: two samples a second apart, each a full JSON object per line.
        var stream = Cmd.Run("timeout", "2.5", "curl", "-sN", "--unix-socket", daemon.Socket, "http://localhost/v1.45/containers/busy/stats");
        string[] samples = stream.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(samples.Length, 2, 4);
        Assert.All(samples, s => Assert.Contains("\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":", s, StringComparison.Ordinal));
        daemon.DockerChecked("rm", "-f", "busy", "idle");
        daemon.DockerChecked("network", "rm", "statsnet");
    }

    [RootFact]
    public void UlimitShmSizeBlkioAndSwappinessReachTheContainer()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        Assert.Equal("1024\n2048", daemon.DockerChecked("run", "--rm", "--ulimit", "nofile=1024:2048", "bb:latest", "sh", "-c", "ulimit -n; ulimit -Hn").Output.Trim());
        string shm = daemon.DockerChecked("run", "--rm", "--shm-size", "32m", "bb:latest", "df", "-k", "/dev/shm").Output.Trim().Split('\n')[^1];
        Assert.Equal("32768", shm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        string shmDefault = daemon.DockerChecked("run", "--rm", "bb:latest", "df", "-k", "/dev/shm").Output.Trim().Split('\n')[^1];
        Assert.Equal("65536", shmDefault.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

        var created = daemon.Docker("create", "--name", "tuned", "--ulimit", "nproc=100:200", "--shm-size", "16m", "--memory-swappiness", "10",
            "--device-read-bps", "/dev/vda:1mb", "--device-write-iops", "/dev/vda:100", "--blkio-weight", "300", "bb:latest",
            "sh", "-c", "cat /sys/fs/cgroup/memory/memory.swappiness /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device /sys/fs/cgroup/blkio/blkio.throttle.write_iops_device 2>/dev/null || cat /sys/fs/cgroup/io.max");
        Assert.Equal(0, created.ExitCode);
        string inspected = daemon.DockerChecked("inspect", "-f",
            "{{json .HostConfig.Ulimits}} {{.HostConfig.ShmSize}} {{.HostConfig.MemorySwappiness}} {{json .HostConfig.BlkioDeviceReadBps}} {{json .HostConfig.BlkioDeviceWriteIOps}} {{json .HostConfig.BlkioDeviceWriteBps}}",
            "tuned").Output.Trim();
        Assert.Equal("[{\"Name\":\"nproc\",\"Hard\":200,\"Soft\":100}] 16777216 10 [{\"Path\":\"/dev/vda\",\"Rate\":1048576}] [{\"Path\":\"/dev/vda\",\"Rate\":100}] []", inspected);

        // This VM's blkio has no weight (no CFQ/BFQ): Docker's warning, and the weight is dropped.
        string major = File.ReadAllText("/sys/block/vda/dev").Trim();
        if (!File.Exists("/sys/fs/cgroup/blkio/blkio.weight") && Directory.Exists("/sys/fs/cgroup/blkio"))
        {
            Assert.Contains("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.", created.Error, StringComparison.Ordinal);
            Assert.Equal("0", daemon.DockerChecked("inspect", "-f", "{{.HostConfig.BlkioWeight}}", "tuned").Output.Trim());
            Assert.Equal($"10\n{major} 1048576\n{major} 100", daemon.DockerChecked("start", "-a", "tuned").Output.Trim());
        }

        daemon.DockerChecked("rm", "tuned");
        daemon.DockerChecked("create", "--name", "plain", "bb:latest");
        Assert.Equal("[] 67108864 <nil> 0", daemon.DockerChecked("inspect", "-f",
            "{{json .HostConfig.Ulimits}} {{.HostConfig.ShmSize}} {{.HostConfig.MemorySwappiness}} {{.HostConfig.BlkioWeight}}", "plain").Output.Trim());
        daemon.DockerChecked("rm", "plain");

        (string[] Args, string Message)[] refused =
        [
            (["--memory", "1k"], "Minimum memory limit allowed is 6MB"),
            (["--cpus", "-1"], "Range of CPUs is from 0.01 to"),
            (["--cpuset-cpus", "99"], "Requested CPUs are not available - requested 99"),
            (["--blkio-weight", "5"], "Range of blkio weight is from 10 to 1000"),
            (["--device-read-bps", "/dev/nosuchdisk:1mb"], "stat /dev/nosuchdisk: no such file or directory"),
        ];
        foreach (var (args, message) in refused)
        {
            var result = daemon.Docker(["create", .. args, "bb:latest"]);
            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(message, result.Error, StringComparison.Ordinal);
        }
    }

    /// <summary>The CLI's <c>12.34%</c>.</summary>
    private static double Percent(string text) => double.Parse(text.TrimEnd('%'), CultureInfo.InvariantCulture);

    /// <summary>go-units' HumanSize (decimal units): <c>1.23kB</c>, <c>4.5MB</c>, <c>0B</c>.</summary>
    private static double Bytes(string text)
    {
        text = text.Trim();
        (string Unit, double Factor)[] units = [("GB", 1e9), ("MB", 1e6), ("kB", 1e3), ("B", 1)];
        foreach (var (unit, factor) in units)
        {
            if (text.EndsWith(unit, StringComparison.Ordinal))
            {
                return double.Parse(text[..^unit.Length], CultureInfo.InvariantCulture) * factor;
            }
        }

        throw new FormatException("not a size: " + text);
    }
}
