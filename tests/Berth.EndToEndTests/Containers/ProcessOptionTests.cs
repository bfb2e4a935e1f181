using System.Diagnostics;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// Create options that change what the container's process is, through the real docker CLI, each shown by its
/// effect: <c>--init</c> runs docker-init as PID 1; <c>--stop-signal</c>/<c>--stop-timeout</c> change what
/// <c>docker stop</c> sends and how long it waits; <c>--tmpfs</c> mounts a sized tmpfs; <c>--pid</c>, <c>--ipc</c> and
/// <c>--uts</c> share the host's or another container's namespaces; <c>--device</c> and <c>--device-cgroup-rule</c>
/// make nodes and open the device cgroup; <c>--group-add</c> adds groups; <c>--volumes-from</c> shares volumes.
/// </summary>
public sealed class ProcessOptionTests : DaemonTest
{
    [RootFact]
    public void InitStopSignalStopTimeoutAndTmpfsTakeEffect()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // --init: PID 1 is docker-init, the command its child; without it the command is PID 1.
        Assert.Contains("docker-init", daemon.DockerChecked("run", "--rm", "--init", "bb:latest", "cat", "/proc/1/cmdline").Output, StringComparison.Ordinal);
        Assert.Equal("cat\0/proc/1/cmdline\0", daemon.DockerChecked("run", "--rm", "bb:latest", "cat", "/proc/1/cmdline").Output);

        // --stop-signal USR1: the shell's trap for USR1 (not TERM) runs on docker stop and sets the exit code.
        daemon.DockerChecked("run", "-d", "--name", "usr1", "--stop-signal", "SIGUSR1", "bb:latest",
            "sh", "-c", "trap 'exit 42' USR1; trap '' TERM; while :; do sleep 0.2; done");
        daemon.DockerChecked("stop", "usr1");
        Assert.Equal("42 SIGUSR1", daemon.DockerChecked("inspect", "-f", "{{.State.ExitCode}} {{.Config.StopSignal}}", "usr1").Output.Trim());

        // --stop-timeout 1: a process deaf to SIGTERM is killed after 1 s, not Docker's default 10 s; -t still wins.
        daemon.DockerChecked("run", "-d", "--name", "deaf", "--stop-timeout", "1", "bb:latest", "sh", "-c", "trap '' TERM; while :; do sleep 0.2; done");
        var watch = Stopwatch.StartNew();
        daemon.DockerChecked("stop", "deaf");
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 6);
        Assert.Equal("137 1", daemon.DockerChecked("inspect", "-f", "{{.State.ExitCode}} {{.Config.StopTimeout}}", "deaf").Output.Trim());

        // docker stop -s: the signal asked for wins over the container's.
        daemon.DockerChecked("start", "usr1");
        daemon.DockerChecked("stop", "-s", "KILL", "usr1");
        Assert.Equal("137", daemon.DockerChecked("inspect", "-f", "{{.State.ExitCode}}", "usr1").Output.Trim());

        // --tmpfs with size and mode: a 1 MiB tmpfs, mode 1770, noexec by default; a 2 MiB write fails on it.
        string tmpfs = daemon.DockerChecked("run", "--rm", "--tmpfs", "/scratch:size=1m,mode=1770", "bb:latest", "sh", "-c",
            "stat -c %a /scratch; grep ' /scratch ' /proc/mounts; dd if=/dev/zero of=/scratch/big bs=1M count=2 2>/dev/null && echo wrote || echo full").Output;
        Assert.StartsWith("1770\n", tmpfs, StringComparison.Ordinal);
        Assert.Contains("tmpfs /scratch tmpfs rw,nosuid,nodev,noexec", tmpfs, StringComparison.Ordinal);
        Assert.Contains("size=1024k", tmpfs, StringComparison.Ordinal);
        Assert.EndsWith("full\n", tmpfs, StringComparison.Ordinal);
        Assert.DoesNotContain("noexec", daemon.DockerChecked("run", "--rm", "--tmpfs", "/x:exec", "bb:latest", "grep", " /x ", "/proc/mounts").Output, StringComparison.Ordinal);

        // --mount type=tmpfs: the same, from the mount's size and mode; read-only when asked; shown in inspect's Mounts.
        string mounted = daemon.DockerChecked("run", "--rm", "--mount", "type=tmpfs,destination=/m,tmpfs-size=1048576,tmpfs-mode=1770", "bb:latest", "sh", "-c",
            "stat -c %a /m; grep ' /m ' /proc/mounts").Output;
        Assert.StartsWith("1770\n", mounted, StringComparison.Ordinal);
        Assert.Contains("tmpfs /m tmpfs rw,nosuid,nodev,noexec", mounted, StringComparison.Ordinal);
        Assert.Contains("size=1024k", mounted, StringComparison.Ordinal);
        Assert.Contains("Read-only file system", daemon.Docker("run", "--rm", "--mount", "type=tmpfs,destination=/m,readonly", "bb:latest", "touch", "/m/x").Error, StringComparison.Ordinal);
        string withTmpfs = daemon.DockerChecked("create", "--mount", "type=tmpfs,destination=/m,tmpfs-size=2m", "bb:latest").Output.Trim();
        Assert.Equal("tmpfs  /m true 2097152", daemon.DockerChecked("inspect", "-f",
            "{{range .Mounts}}{{.Type}} {{.Source}} {{.Destination}} {{.RW}}{{end}} {{range .HostConfig.Mounts}}{{.TmpfsOptions.SizeBytes}}{{end}}", withTmpfs).Output.Trim());
        daemon.DockerChecked("rm", withTmpfs);
        Assert.Contains("field Source must not be specified", daemon.Docker("create", "--mount", "type=tmpfs,source=x,destination=/m", "bb:latest").Error, StringComparison.Ordinal);

        daemon.DockerChecked("create", "--name", "shown", "--init", "--tmpfs", "/run:size=2m", "--stop-signal", "SIGINT", "bb:latest");
        Assert.Equal("true map[/run:size=2m] SIGINT private",
            daemon.DockerChecked("inspect", "-f", "{{.HostConfig.Init}} {{.HostConfig.Tmpfs}} {{.Config.StopSignal}} {{.HostConfig.IpcMode}}", "shown").Output.Trim());

        (string[] Args, string Message)[] refused =
        [
            (["--stop-signal", "SIGNOPE"], "Invalid signal: SIGNOPE"),
            (["--tmpfs", "/x:bogus"], "invalid tmpfs option \"bogus\""),
            (["--isolation", "hyperv"], "Invalid isolation: \"hyperv\" - linux only supports 'default'"),
            (["--device", "/dev/nope"], "error gathering device information while adding custom device \"/dev/nope\""),
            (["--device-cgroup-rule", "x 1:3 r"], "invalid device cgroup format 'x 1:3 r'"),
            (["--uts", "host", "--hostname", "h"], "conflicting options: hostname and the UTS mode"),
        ];
        foreach (var (args, message) in refused)
        {
            var result = daemon.Docker(["create", .. args, "bb:latest"]);
            Assert.NotEqual(0, result.ExitCode);
            Assert.True(result.Error.Contains(message, StringComparison.Ordinal), $"{string.Join(' ', args)}: {result.Error}");
        }

        daemon.DockerChecked("rm", "usr1", "deaf", "shown");
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
        Assert.Equal(0, daemon.Docker("create", "--isolation", "default", "--name", "iso", "bb:latest").ExitCode);
        daemon.DockerChecked("rm", "iso");
    }

    [RootFact]
    public void PidIpcAndUtsNamespacesAreSharedAsAsked()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // --pid host: the test's own process is visible; --pid container:X: X's sleep is.
        string self = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("seen", daemon.DockerChecked("run", "--rm", "--pid", "host", "bb:latest", "sh", "-c", $"test -d /proc/{self} && echo seen").Output.Trim());
        Assert.Equal(1, daemon.Docker("run", "--rm", "bb:latest", "test", "-d", $"/proc/{self}").ExitCode);
        daemon.DockerChecked("run", "-d", "--name", "donor", "--ipc", "shareable", "bb:latest", "sh", "-c", "echo shared > /dev/shm/hello; exec sleep 1234");
        Assert.Contains("sleep 1234", daemon.DockerChecked("run", "--rm", "--pid", "container:donor", "bb:latest", "ps", "-o", "args").Output, StringComparison.Ordinal);

        // --ipc container:X: X's /dev/shm and IPC namespace; a private donor is refused as Docker does; none: no /dev/shm.
        Assert.Equal("shared", daemon.DockerChecked("run", "--rm", "--ipc", "container:donor", "bb:latest", "cat", "/dev/shm/hello").Output.Trim());
        string donorIpc = daemon.DockerChecked("exec", "donor", "readlink", "/proc/self/ns/ipc").Output.Trim();
        Assert.Equal(donorIpc, daemon.DockerChecked("run", "--rm", "--ipc", "container:donor", "bb:latest", "readlink", "/proc/self/ns/ipc").Output.Trim());
        daemon.DockerChecked("run", "-d", "--name", "private", "bb:latest", "sleep", "1234");
        var refused = daemon.Docker("run", "--rm", "--ipc", "container:private", "bb:latest", "true");
        Assert.Contains("non-shareable IPC", refused.Error, StringComparison.Ordinal);
        Assert.Equal("no shm", daemon.DockerChecked("run", "--rm", "--ipc", "none", "bb:latest", "sh", "-c", "test -d /dev/shm && echo shm || echo no shm").Output.Trim());
        string hostIpc = Cmd.Check("readlink", "/proc/self/ns/ipc").Trim();
        Assert.Equal(hostIpc, daemon.DockerChecked("run", "--rm", "--ipc", "host", "bb:latest", "readlink", "/proc/self/ns/ipc").Output.Trim());

        // --uts host: the host's hostname, not the container id's prefix.
        Assert.Equal(Cmd.Check("hostname").Trim(), daemon.DockerChecked("run", "--rm", "--uts", "host", "bb:latest", "hostname").Output.Trim());
        Assert.Equal("host container:donor host", daemon.DockerChecked("inspect", "-f", "{{.HostConfig.UTSMode}} {{.HostConfig.PidMode}} {{.HostConfig.IpcMode}}",
            daemon.DockerChecked("create", "--uts", "host", "--pid", "container:donor", "--ipc", "host", "bb:latest").Output.Trim()).Output.Trim());

        // --mac-address: the interface's address on the default bridge and on a user network, and inspect's.
        Assert.Equal("02:42:ac:11:00:99", daemon.DockerChecked("run", "--rm", "--mac-address", "02:42:ac:11:00:99", "bb:latest", "cat", "/sys/class/net/eth0/address").Output.Trim());
        Assert.Contains("user specified IP address is supported",
            daemon.Docker("run", "--rm", "--ip", "172.17.0.77", "bb:latest", "true").Error, StringComparison.Ordinal);
        daemon.DockerChecked("network", "create", "macnet");
        string withMac = daemon.DockerChecked("run", "-d", "--network", "macnet", "--mac-address", "02:42:0a:00:00:42", "bb:latest", "sleep", "60").Output.Trim();
        Assert.Equal("02:42:0a:00:00:42", daemon.DockerChecked("exec", withMac, "cat", "/sys/class/net/eth0/address").Output.Trim());
        Assert.Equal("02:42:0a:00:00:42", daemon.DockerChecked("inspect", "-f", "{{.NetworkSettings.Networks.macnet.MacAddress}}", withMac).Output.Trim());
        daemon.DockerChecked("rm", "-f", withMac);
        daemon.DockerChecked("network", "rm", "macnet");

        // Joining a container that is not running: moby's 409.
        daemon.DockerChecked("stop", "-t", "0", "private");
        Assert.Contains("cannot join PID of a non running container: private",
            daemon.Docker("run", "--rm", "--pid", "container:private", "bb:latest", "true").Error, StringComparison.Ordinal);
        daemon.RemoveAllContainers();
    }

    [RootFact]
    public void DevicesGroupsAndVolumesFromTakeEffect()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // --device HOST:CONTAINER:r: /dev/fuse (not among runc's default devices) opens for reading, not for writing
        // (the device cgroup says so, not the node's mode); :rw opens both ways; without --device there is no node.
        const string Opens = "exec 3</dev/f && echo readable; exec 4>/dev/f && echo writable";
        var readOnly = daemon.Docker("run", "--rm", "--device", "/dev/fuse:/dev/f:r", "bb:latest", "sh", "-c", Opens);
        Assert.Equal("readable", readOnly.Output.Trim());
        Assert.Contains("Operation not permitted", readOnly.Error, StringComparison.Ordinal);
        Assert.Equal("readable\nwritable", daemon.DockerChecked("run", "--rm", "--device", "/dev/fuse:/dev/f:rw", "bb:latest", "sh", "-c", Opens).Output.Trim());
        Assert.Equal("absent", daemon.DockerChecked("run", "--rm", "bb:latest", "sh", "-c", "test -e /dev/f && echo present || echo absent").Output.Trim());
        string withDevice = daemon.DockerChecked("create", "--device", "/dev/fuse:/dev/f:r", "bb:latest").Output.Trim();
        Assert.Equal("/dev/fuse /dev/f r", daemon.DockerChecked("inspect", "-f", "{{range .HostConfig.Devices}}{{.PathOnHost}} {{.PathInContainer}} {{.CgroupPermissions}}{{end}}", withDevice).Output.Trim());
        daemon.DockerChecked("rm", withDevice);

        // --device-cgroup-rule: a node of an unassigned major (42) is refused by the cgroup (EPERM) without the rule,
        // and reaches the kernel with it (ENXIO: no driver behind it).
        const string Probe = "mknod /tmp/n c 42 0 && cat /tmp/n";
        Assert.Contains("Operation not permitted", daemon.Docker("run", "--rm", "bb:latest", "sh", "-c", Probe).Error, StringComparison.Ordinal);
        Assert.Contains("No such device or address", daemon.Docker("run", "--rm", "--device-cgroup-rule", "c 42:* rmw", "bb:latest", "sh", "-c", Probe).Error, StringComparison.Ordinal);

        // --group-add: supplementary groups of the process.
        Assert.Equal("0 1234 5678", daemon.DockerChecked("run", "--rm", "--group-add", "1234", "--group-add", "5678", "bb:latest", "id", "-G").Output.Trim());

        // --volumes-from: the donor's volume at the same path; :ro makes it read-only here.
        daemon.DockerChecked("run", "--name", "donor", "-v", "shared:/data", "-v", "/data2", "bb:latest", "sh", "-c", "echo hi > /data/f; echo two > /data2/g");
        Assert.Equal("hi two", daemon.DockerChecked("run", "--rm", "--volumes-from", "donor", "bb:latest", "sh", "-c", "echo $(cat /data/f /data2/g)").Output.Trim());
        var readOnlyVolume = daemon.Docker("run", "--rm", "--volumes-from", "donor:ro", "bb:latest", "sh", "-c", "echo x > /data/f");
        Assert.Contains("Read-only file system", readOnlyVolume.Error, StringComparison.Ordinal);
        string id = daemon.DockerChecked("create", "--volumes-from", "donor:ro", "bb:latest").Output.Trim();
        Assert.Equal("[donor:ro] /data false /data2 false",
            daemon.DockerChecked("inspect", "-f", "{{.HostConfig.VolumesFrom}}{{range .Mounts}} {{.Destination}} {{.RW}}{{end}}", id).Output.Trim());
        Assert.Contains("No such container: ghost", daemon.Docker("create", "--volumes-from", "ghost", "bb:latest").Error, StringComparison.Ordinal);

        // The inherited anonymous volume stays the donor's: removing the borrower with -v keeps it.
        string anonymous = daemon.DockerChecked("inspect", "-f", "{{range .Mounts}}{{if eq .Destination \"/data2\"}}{{.Name}}{{end}}{{end}}", "donor").Output.Trim();
        daemon.DockerChecked("rm", "-v", id);
        Assert.Contains(anonymous, daemon.DockerChecked("volume", "ls", "-q").Output, StringComparison.Ordinal);
        daemon.DockerChecked("rm", "-v", "donor");
        daemon.DockerChecked("volume", "rm", "shared");
        Assert.DoesNotContain(anonymous, daemon.DockerChecked("volume", "ls", "-q").Output, StringComparison.Ordinal);
    }
}
