using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// Docker's runtime choice: <c>docker run --runtime crun</c> and berthd <c>--default-runtime crun</c> (Debian's crun
/// beside runc), an unknown runtime refused at create with Docker's error, and a container kept on the runtime it was
/// created with across a restart of berthd with other flags — exec, stop and rm then still go through that binary.
/// </summary>
public sealed class RuntimeSelectionTests : DaemonTest
{
    private const string Crun = CrunRuntime.Binary;

    [RootFact]
    public void RunWithRuntimeCrunBesideRuncPingsExecsStopsAndRemovesAcrossARestart()
    {
        var daemon = StartDaemon([.. CrunRuntime.Arguments, "--default-runtime", "runc"]);
        BusyboxImage.Import(daemon, TestRoot);
        Assert.Equal("runc", daemon.DockerChecked("info", "-f", "{{.DefaultRuntime}}").Output.Trim());
        string runtimes = daemon.DockerChecked("info", "-f", "{{json .Runtimes}}").Output;
        Assert.Contains($"\"crun\":{{\"path\":\"{CrunRuntime.Path}\"}}", runtimes, StringComparison.Ordinal);
        Assert.Contains("\"runc\":{\"path\":\"/usr/sbin/runc\"}", runtimes, StringComparison.Ordinal);

        daemon.DockerChecked("network", "create", "--subnet", "10.171.0.0/24", "rt");
        string onCrun = daemon.DockerChecked("run", "-d", "--runtime", "crun", "--name", "oncrun", "--network", "rt", "--ip", "10.171.0.10", "bb:latest", "sleep", "300").Output.Trim();
        string onRunc = daemon.DockerChecked("run", "-d", "--name", "onrunc", "--network", "rt", "--ip", "10.171.0.11", "bb:latest", "sleep", "300").Output.Trim();
        Assert.Equal("crun", daemon.DockerChecked("inspect", "-f", "{{.HostConfig.Runtime}}", "oncrun").Output.Trim());
        Assert.Equal("runc", daemon.DockerChecked("inspect", "-f", "{{.HostConfig.Runtime}}", "onrunc").Output.Trim());

        // Each runtime holds its own container, and only that one.
        Assert.Equal("running", CrunStatus(daemon, onCrun));
        Assert.NotEqual(0, Cmd.Run(Crun, "--root", CrunRoot(daemon), "state", onRunc).ExitCode);
        Assert.True(File.Exists(Path.Combine(daemon.ExecRoot, "runtime", "runc", onRunc, "state.json")), "runc has no state for the runc container");

        Assert.Equal(0, daemon.Docker("exec", "oncrun", "ping", "-c1", "-W2", "10.171.0.11").ExitCode);
        Assert.Equal(0, daemon.Docker("exec", "onrunc", "ping", "-c1", "-W2", "10.171.0.10").ExitCode);

        // A crash, and a berthd whose default is still runc: the crun container is exec'd, stopped and removed by crun.
        daemon.Kill();
        var again = Restart(daemon, [.. CrunRuntime.Arguments, "--default-runtime", "runc"]);
        Assert.Equal("crun", again.DockerChecked("inspect", "-f", "{{.HostConfig.Runtime}}", "oncrun").Output.Trim());
        Assert.Equal("oncrun-exec", again.DockerChecked("exec", "oncrun", "echo", "oncrun-exec").Output.Trim());
        Assert.Equal(0, again.Docker("exec", "oncrun", "ping", "-c1", "-W2", "10.171.0.11").ExitCode);
        again.DockerChecked("stop", "-t", "1", "oncrun");
        Assert.Equal("exited", again.DockerChecked("inspect", "-f", "{{.State.Status}}", "oncrun").Output.Trim());
        again.DockerChecked("rm", "oncrun");
        Assert.False(Directory.Exists(Path.Combine(CrunRoot(again), onCrun)), "crun's state of the removed container remains");
        again.DockerChecked("rm", "-f", "onrunc");
    }

    [RootFact]
    public void DefaultRuntimeCrunRunsEveryContainerWithCrunUntilTheDaemonIsRestartedWithRunc()
    {
        var daemon = StartDaemon([.. CrunRuntime.Arguments, "--default-runtime", "crun"]);
        BusyboxImage.Import(daemon, TestRoot);
        Assert.Equal("crun", daemon.DockerChecked("info", "-f", "{{.DefaultRuntime}}").Output.Trim());
        daemon.DockerChecked("network", "create", "--subnet", "10.172.0.0/24", "rt");
        string a = daemon.DockerChecked("run", "-d", "--name", "ca", "--network", "rt", "--ip", "10.172.0.10", "bb:latest", "sleep", "300").Output.Trim();
        string b = daemon.DockerChecked("run", "-d", "--name", "cb", "--network", "rt", "--ip", "10.172.0.11", "bb:latest", "sleep", "300").Output.Trim();
        Assert.Equal("crun crun", string.Join(' ', daemon.DockerChecked("inspect", "-f", "{{.HostConfig.Runtime}}", "ca", "cb").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("running", CrunStatus(daemon, a));
        Assert.Equal("running", CrunStatus(daemon, b));
        Assert.Equal(0, daemon.Docker("exec", "ca", "ping", "-c1", "-W2", "10.172.0.11").ExitCode);
        Assert.Equal(0, daemon.Docker("exec", "cb", "ping", "-c1", "-W2", "cb").ExitCode);

        // Restarted with runc as the default: a and b stay crun's; a new container is runc's.
        daemon.Kill();
        var again = Restart(daemon, [.. CrunRuntime.Arguments, "--default-runtime", "runc"]);
        Assert.Equal("runc", again.DockerChecked("info", "-f", "{{.DefaultRuntime}}").Output.Trim());
        Assert.Equal(0, again.Docker("exec", "ca", "ping", "-c1", "-W2", "10.172.0.11").ExitCode);
        string c = again.DockerChecked("run", "-d", "--name", "cc", "--network", "rt", "--ip", "10.172.0.12", "bb:latest", "sleep", "300").Output.Trim();
        Assert.Equal("runc", again.DockerChecked("inspect", "-f", "{{.HostConfig.Runtime}}", "cc").Output.Trim());
        Assert.Equal(0, again.Docker("exec", "cc", "ping", "-c1", "-W2", "10.172.0.10").ExitCode);
        Assert.NotEqual(0, Cmd.Run(Crun, "--root", CrunRoot(again), "state", c).ExitCode);

        again.DockerChecked("stop", "-t", "1", "ca");
        Assert.Equal("exited", again.DockerChecked("inspect", "-f", "{{.State.Status}}", "ca").Output.Trim());
        Assert.Equal("stopped", CrunStatus(again, a));
        again.DockerChecked("rm", "ca");
        again.DockerChecked("rm", "-f", "cb", "cc");
        Assert.Empty(Directory.GetDirectories(CrunRoot(again)));
    }

    [RootFact]
    public void AnUnknownRuntimeIsRefusedAtCreateWithDockersError()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        foreach (string command in (string[])["run", "create"])
        {
            var refused = daemon.Docker(command, "--runtime", "nosuch", "--name", "never", "bb:latest", "true");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("Error response from daemon: unknown or invalid runtime name: nosuch", refused.Output + refused.Error, StringComparison.Ordinal);
        }

        Assert.Equal("", daemon.DockerChecked("ps", "-aq").Output.Trim());
    }

    /// <summary>crun's state directory for this daemon (runc's is exec-root/runtime/runc).</summary>
    private static string CrunRoot(Berthd daemon) => Path.Combine(daemon.ExecRoot, "runtime", "runc-crun");

    /// <summary>The status crun itself reports for container <paramref name="id"/>.</summary>
    private static string CrunStatus(Berthd daemon, string id)
    {
        string state = Cmd.Check(Crun, "--root", CrunRoot(daemon), "state", id);
        return System.Text.Json.JsonDocument.Parse(state).RootElement.GetProperty("status").GetString() ?? "";
    }
}
