using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Security;

/// <summary>
/// <c>berthd --userns-remap default</c>: container root is root inside and an unprivileged range's first id outside;
/// escapes a root in the container would try fail on the host; networking, exec and cp work as without it;
/// <c>--userns host</c> opts out. The first run on a machine makes the user berthremap and its subordinate ids, as
/// dockerd's makes dockremap; they stay (as Docker's do).
/// </summary>
public sealed class UsernsRemapTests : DaemonTest
{
    private const string RemapUser = "berthremap";

    private const UnixFileMode EveryoneMayWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [RootFact]
    public void RemappedRootIsRootOnlyInsideItsContainer()
    {
        var daemon = StartDaemon("--userns-remap", "default");
        uint start = SubordinateStart();
        string ids = start.ToString(CultureInfo.InvariantCulture);
        string info = daemon.DockerChecked("info", "-f", "{{json .SecurityOptions}} {{.DockerRootDir}}").Output.Trim();
        Assert.Contains("name=userns", info, StringComparison.Ordinal);
        Assert.EndsWith($"/{ids}.{ids}", info, StringComparison.Ordinal);
        BusyboxImage.Import(daemon, TestRoot);

        // Root inside, START outside: the map, and the host's view of the container's process.
        daemon.DockerChecked("run", "-d", "--name", "box", "bb:latest", "sleep", "300");
        Assert.Equal("0", daemon.DockerChecked("exec", "box", "id", "-u").Output.Trim());
        Assert.Equal(["0", ids, "65536"], daemon.DockerChecked("exec", "box", "cat", "/proc/self/uid_map").Output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        string pid = daemon.DockerChecked("inspect", "-f", "{{.State.Pid}}", "box").Output.Trim();
        Assert.Matches($"^Uid:\\s+{ids}\\s+{ids}\\s+{ids}\\s+{ids}$", File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)));

        // docker cp lands with the shifted owner on the host; the container sees it as its root's.
        string copied = Path.Combine(TestRoot, "copied.txt");
        File.WriteAllText(copied, "copied\n");
        daemon.DockerChecked("cp", copied, "box:/tmp/copied.txt");
        Assert.Equal("0 copied", daemon.DockerChecked("exec", "box", "sh", "-c", "echo $(stat -c %u /tmp/copied.txt) $(cat /tmp/copied.txt)").Output.Trim());
        string id = daemon.DockerChecked("inspect", "-f", "{{.Id}}", "box").Output.Trim();
        string upperFile = Directory.GetFiles(daemon.Root, "copied.txt", SearchOption.AllDirectories).Single(f => f.Contains(id, StringComparison.Ordinal) && f.Contains("/upper/", StringComparison.Ordinal));
        Assert.Equal(start, Owner(upperFile));

        // A host directory of host root's, 0700: root in the container may not read or write it.
        string secret = Path.Combine(TestRoot, "secret");
        Directory.CreateDirectory(secret);
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var denied = daemon.Docker("run", "--rm", "-v", secret + ":/s", "bb:latest", "sh", "-c", "touch /s/planted");
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("Permission denied", denied.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(secret, "planted")));

        // What it writes in an open bind is START's on the host, and a setuid binary it makes gives nobody root.
        string open = Path.Combine(TestRoot, "open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, EveryoneMayWrite);
        string probe = Path.Combine(TestRoot, "probe");
        Directory.CreateDirectory(probe);
        EuidProbe.Write(Path.Combine(probe, "euid"));
        daemon.DockerChecked("run", "--rm", "-v", open + ":/o", "-v", probe + ":/p:ro", "bb:latest", "sh", "-c", "cp /p/euid /o/euid && chmod 4755 /o/euid && touch /o/made");
        Assert.Equal(start, Owner(Path.Combine(open, "made")));
        Assert.Equal(start, Owner(Path.Combine(open, "euid")));
        Assert.Equal(EuidProbe.ExitCodeOf(start), Cmd.Run("setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", Path.Combine(open, "euid")).ExitCode);

        // Every capability and no seccomp filter: still no module, no host sysctl, no device node, and no --privileged.
        string[] allCaps = ["run", "--rm", "--cap-add", "ALL", "--security-opt", "seccomp=unconfined", "bb:latest", "sh", "-c"];
        var module = daemon.Docker([.. allCaps, "insmod /bin/busybox"]);
        Assert.NotEqual(0, module.ExitCode);
        // EPERM (no CAP_SYS_MODULE in the initial namespace), or ENOSYS where the kernel has no module support at all.
        Assert.Matches("Operation not permitted|kernel does not support requested operation", module.Error);
        string corePattern = File.ReadAllText("/proc/sys/kernel/core_pattern");
        var sysctl = daemon.Docker([.. allCaps, "mount -o remount,rw /proc/sys; cat /proc/sys/kernel/core_pattern > /tmp/v && cat /tmp/v > /proc/sys/kernel/core_pattern && echo written"]);
        Assert.DoesNotContain("written", sysctl.Output, StringComparison.Ordinal);
        Assert.Equal(corePattern, File.ReadAllText("/proc/sys/kernel/core_pattern"));
        var device = daemon.Docker([.. allCaps, "mknod /tmp/disk b 7 0 && mount /tmp/disk /mnt && echo mounted"]);
        Assert.DoesNotContain("mounted", device.Output, StringComparison.Ordinal);
        Assert.Contains("Operation not permitted", device.Error, StringComparison.Ordinal);
        var privileged = daemon.Docker("run", "--rm", "--privileged", "bb:latest", "true");
        Assert.Contains("privileged mode is incompatible with user namespaces", privileged.Error, StringComparison.Ordinal);

        // Networking as usual: ping and DNS by name on a user bridge, a published port from the LAN.
        daemon.DockerChecked("network", "create", "--subnet", "172.31.7.0/24", "un");
        daemon.DockerChecked(["run", "-d", "--name", "web", "--network", "un", "-p", "8080:8080", "bb:latest", .. ContainerProbe.ListenCommand]);
        daemon.DockerChecked("run", "-d", "--name", "client", "--network", "un", "bb:latest", "sleep", "300");
        Assert.True(ContainerProbe.Pings(daemon, "client", "web"), "ping by name between remapped containers failed\n" + daemon.Log);
        Assert.True(ContainerProbe.TalksWithin(daemon, "client", "web"), "TCP by name between remapped containers failed");
        Assert.True(Poll.Until(() => ContainerProbe.Talk(LanPeer, "10.77.0.10") == ContainerProbe.EchoReply, TimeSpan.FromSeconds(10)), "the published port does not answer from the LAN");
        // --network container:NAME shares that container's user namespace too, so exec enters both.
        daemon.DockerChecked("run", "-d", "--name", "sidecar", "--network", "container:client", "bb:latest", "sleep", "300");
        string webAddress = daemon.DockerChecked("inspect", "-f", "{{.NetworkSettings.Networks.un.IPAddress}}", "web").Output.Trim();
        var sidecarPing = daemon.Docker("exec", "sidecar", "ping", "-c1", "-W1", webAddress);
        Assert.True(sidecarPing.ExitCode == 0, "a container in another's network namespace cannot ping: " + sidecarPing);
        Assert.Equal(daemon.DockerChecked("exec", "client", "readlink", "/proc/self/ns/user").Output, daemon.DockerChecked("exec", "sidecar", "readlink", "/proc/self/ns/user").Output);

        // --pid and --ipc container:NAME: the container runs in that one's user namespace (which owns its PID and IPC
        // namespaces) with a network namespace of its own made in it: it sees that one's processes and shared memory,
        // and exec enters it. Two containers' namespaces at once cannot be had: refused in words.
        daemon.DockerChecked("run", "-d", "--name", "donor", "--ipc", "shareable", "bb:latest", "sleep", "301");
        daemon.DockerChecked("run", "-d", "--name", "peer", "--pid", "container:donor", "--ipc", "container:donor", "bb:latest", "sleep", "302");
        Assert.Contains("sleep 301", daemon.DockerChecked("exec", "peer", "ps").Output, StringComparison.Ordinal);
        daemon.DockerChecked("exec", "donor", "sh", "-c", "echo shared > /dev/shm/note");
        Assert.Equal("shared", daemon.DockerChecked("exec", "peer", "cat", "/dev/shm/note").Output.Trim());
        string Namespace(string container, string kind) => daemon.DockerChecked("exec", container, "readlink", "/proc/self/ns/" + kind).Output.Trim();
        Assert.Equal(Namespace("donor", "user"), Namespace("peer", "user"));
        Assert.NotEqual(Namespace("donor", "net"), Namespace("peer", "net"));
        Assert.Equal("0", daemon.DockerChecked("exec", "peer", "id", "-u").Output.Trim());
        Assert.True(daemon.Docker("exec", "peer", "ping", "-c1", "-W1", daemon.DockerChecked("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "donor").Output.Trim()).Succeeded,
            "a container in another's PID namespace cannot ping on its own network");
        var mixed = daemon.Docker("run", "-d", "--name", "mixed", "--network", "container:client", "--pid", "container:donor", "bb:latest", "sleep", "303");
        Assert.NotEqual(0, mixed.ExitCode);
        Assert.Contains("must name the same container", mixed.Error, StringComparison.Ordinal);
        daemon.DockerChecked("rm", "-f", "mixed", "peer", "donor");

        // A named volume is the remapped root's; a build's RUN steps run remapped and its layers keep the container's ids.
        Assert.Equal("0", daemon.DockerChecked("run", "--rm", "-v", "data:/v", "bb:latest", "sh", "-c", "touch /v/x && stat -c %u /v/x").Output.Trim());
        string context = Path.Combine(TestRoot, "context");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "note.txt"), "note\n");
        File.WriteAllText(Path.Combine(context, "Dockerfile"), "FROM bb:latest\nCOPY note.txt /note.txt\nRUN id -u > /ran && stat -c %u /note.txt >> /ran && chown 1000:1000 /ran\n");
        daemon.DockerChecked("build", "-t", "built", context);
        Assert.Equal("0\n0\n1000", daemon.DockerChecked("run", "--rm", "built", "sh", "-c", "cat /ran; stat -c %u /ran").Output.Trim());

        // --userns host: the identity map, root is the host's.
        Assert.Equal(["0", "0", "4294967295"], daemon.DockerChecked("run", "--rm", "--userns", "host", "bb:latest", "cat", "/proc/self/uid_map").Output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        // berthd killed and started again with the flag: the same state, the running containers still entered by exec.
        daemon.Kill();
        var again = Restart(daemon, "--userns-remap", "default");
        Assert.Equal("0", again.DockerChecked("exec", "box", "id", "-u").Output.Trim());
        Assert.True(ContainerProbe.Pings(again, "client", "web"), "ping by name after berthd's restart failed\n" + again.Log);
    }

    [RootFact]
    public void AnInvalidRemapStopsBerthdWithAClearMessage()
    {
        BuildLab();
        foreach (var (value, message) in (IEnumerable<(string, string)>)[
            ("a:b:c", "--userns-remap a:b:c: give default, USER, USER:GROUP, UID or UID:GID"),
            ("no-such-remap-user", "no such user \"no-such-remap-user\" in /etc/passwd"),
            ("nobody:nogroup", "no subuid ranges found for user \"nobody\""),
        ])
        {
            var result = Cmd.Run("nsenter", $"--net={DockerHost.NetnsPath}", RepoPaths.Berthd, "-H", "unix://" + Path.Combine(TestRoot, "bad.sock"),
                "--root", Path.Combine(TestRoot, "bad-root"), "--exec-root", Path.Combine(TestRoot, "bad-exec"), "--userns-remap", value);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains(message, result.Error, StringComparison.Ordinal);
        }
    }

    /// <summary>The first subordinate uid of berthremap, which berthd made when it was missing.</summary>
    private static uint SubordinateStart() =>
        uint.Parse(File.ReadLines("/etc/subuid").First(l => l.StartsWith(RemapUser + ":", StringComparison.Ordinal)).Split(':')[1], CultureInfo.InvariantCulture);

    private static uint Owner(string path) =>
        uint.Parse(Cmd.Check("stat", "-c", "%u", path).Trim(), CultureInfo.InvariantCulture);
}
