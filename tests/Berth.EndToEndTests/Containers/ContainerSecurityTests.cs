using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// What a container may do, set through the real docker CLI: bind mounts, a read-only root, capabilities
/// added and dropped, the default seccomp filter and its opt-out, --privileged. Each proven from inside.
/// </summary>
public sealed class ContainerSecurityTests : DaemonTest
{
    [RootFact]
    public void BindsReadOnlyRootCapabilitiesAndSeccompAreEnforced()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // -v: the container writes into a host directory (made by Berth when missing, as Docker does).
        string shared = Path.Combine(TestRoot, "shared");
        var written = daemon.Docker("run", "--rm", "-v", shared + ":/data", "bb:latest", "sh", "-c", "echo from-container > /data/note");
        Assert.True(written.ExitCode == 0, written.Error);
        Assert.Equal("from-container\n", File.ReadAllText(Path.Combine(shared, "note")));
        var readOnlyBind = daemon.Docker("run", "--rm", "-v", shared + ":/data:ro", "bb:latest", "sh", "-c", "cat /data/note; echo x > /data/other");
        Assert.Equal("from-container\n", readOnlyBind.Output);
        Assert.NotEqual(0, readOnlyBind.ExitCode);
        Assert.Contains("Read-only file system", readOnlyBind.Error, StringComparison.Ordinal);

        // --read-only: the root cannot be written; the Berth-made /etc files and binds still work.
        var readOnlyRoot = daemon.Docker("run", "--rm", "--read-only", "bb:latest", "sh", "-c", "touch /made");
        Assert.NotEqual(0, readOnlyRoot.ExitCode);
        Assert.Contains("Read-only file system", readOnlyRoot.Error, StringComparison.Ordinal);

        // (CLI 28 sends capability names with their CAP_ prefix; inspect echoes what was sent.)
        // Capabilities: NET_ADMIN is not Docker's default; --cap-add grants it, --cap-drop takes NET_RAW (ping) away.
        Assert.NotEqual(0, daemon.Docker("run", "--rm", "bb:latest", "ip", "link", "set", "lo", "mtu", "1200").ExitCode);
        Assert.Equal(0, daemon.Docker("run", "--rm", "--cap-add", "NET_ADMIN", "bb:latest", "ip", "link", "set", "lo", "mtu", "1200").ExitCode);
        Assert.Equal(0, daemon.Docker("run", "--rm", "bb:latest", "ping", "-c1", "-W1", "127.0.0.1").ExitCode);
        Assert.NotEqual(0, daemon.Docker("run", "--rm", "--cap-drop", "NET_RAW", "bb:latest", "ping", "-c1", "-W1", "127.0.0.1").ExitCode);
        daemon.DockerChecked("create", "--name", "capped", "--cap-add", "NET_ADMIN", "-v", shared + ":/data:ro", "--read-only", "bb:latest");
        Assert.Equal($"[CAP_NET_ADMIN] [{shared}:/data:ro] true",
            daemon.DockerChecked("inspect", "-f", "{{.HostConfig.CapAdd}} {{.HostConfig.Binds}} {{.HostConfig.ReadonlyRootfs}}", "capped").Output.Trim());
        daemon.DockerChecked("rm", "capped");

        // Seccomp: a user namespace needs no capability, so only the filter stops it.
        string probe = "grep ^Seccomp: /proc/self/status; unshare -U true && echo userns-allowed || echo userns-denied";
        Assert.Equal("Seccomp:\t2\nuserns-denied\n", daemon.DockerChecked("run", "--rm", "bb:latest", "sh", "-c", probe).Output);
        Assert.Equal("Seccomp:\t0\nuserns-allowed\n", daemon.DockerChecked("run", "--rm", "--security-opt", "seccomp=unconfined", "bb:latest", "sh", "-c", probe).Output);
        Assert.Contains("Seccomp:\t0", daemon.DockerChecked("run", "--rm", "--privileged", "bb:latest", "sh", "-c", probe + "; ip link set lo mtu 1300").Output, StringComparison.Ordinal);

        // Bad options are refused at create, naming the problem, and leave nothing behind.
        var badCap = daemon.Docker("create", "--cap-add", "NET_ADMN", "bb:latest");
        Assert.Matches("unknown capability: \"(CAP_)?NET_ADMN\"", badCap.Error);
        var badOpt = daemon.Docker("create", "--security-opt", "no-such-opt=1", "bb:latest");
        Assert.Contains("invalid --security-opt \"no-such-opt=1\"", badOpt.Error, StringComparison.Ordinal);
        // (A source that is not an absolute path names a volume; this one is not a valid volume name.)
        var badBind = daemon.Docker("create", "-v", "bad/name:/data", "bb:latest");
        Assert.NotEqual(0, badBind.ExitCode);
        Assert.Contains("includes invalid characters for a local volume name", badBind.Error, StringComparison.Ordinal);
        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
    }

    [RootFact]
    public void NoNewPrivilegesKeepsASetuidBinaryFromGrantingRoot()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);

        // A setuid-root program that exits with its effective uid, bound into a container that runs as uid 1000.
        string probe = Path.Combine(TestRoot, "probe");
        Directory.CreateDirectory(probe);
        string euid = Path.Combine(probe, "euid");
        EuidProbe.Write(euid);
        File.SetUnixFileMode(euid, File.GetUnixFileMode(euid) | UnixFileMode.SetUser);
        string[] run = ["run", "--rm", "--user", "1000:1000", "-v", probe + ":/p:ro"];
        Assert.Equal(0, daemon.Docker([.. run, "bb:latest", "/p/euid"]).ExitCode);
        Assert.Equal(EuidProbe.ExitCodeOf(1000), daemon.Docker([.. run, "--security-opt", "no-new-privileges", "bb:latest", "/p/euid"]).ExitCode);
        Assert.Equal("NoNewPrivs:\t1", daemon.DockerChecked([.. run, "--security-opt", "no-new-privileges=true", "bb:latest", "grep", "NoNewPrivs", "/proc/self/status"]).Output.Trim());
    }
}
