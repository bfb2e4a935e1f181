using System.Diagnostics;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// <c>docker exec</c> through the real docker CLI against berthd: processes run by <c>runc exec</c> in a
/// running container's namespaces, with the container's environment, their streams, terminal and exit code.
/// </summary>
public sealed class ExecTests : DaemonTest
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [RootFact]
    public void ExecRunsInTheContainerWithItsStreamsAndExitCode()
    {
        using var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("network", "create", "--subnet", "10.151.0.0/24", "execnet");
        string id = daemon.DockerChecked("run", "-d", "--name", "c1", "--network", "execnet", "--ip", "10.151.0.5", "-e", "FROM_RUN=1", "bb:latest", "sleep", "300").Output.Trim();

        // The container's network namespace and its Berth-written /etc files.
        Assert.Matches(@"eth0\s+inet 10\.151\.0\.5/24", daemon.DockerChecked("exec", "c1", "ip", "-o", "-4", "addr", "show", "eth0").Output);
        string resolvConf = File.ReadAllText(Path.Combine(daemon.Root, "containers", id, "bundle", "resolv.conf"));
        Assert.Equal(resolvConf, daemon.DockerChecked("exec", "c1", "cat", "/etc/resolv.conf").Output);

        // Exit codes, separate streams, the container's environment with the exec's own on top.
        Assert.Equal(7, daemon.Docker("exec", "c1", "sh", "-c", "exit 7").ExitCode);
        var streams = daemon.DockerChecked("exec", "c1", "sh", "-c", "echo out; echo err >&2");
        Assert.Equal("out\n", streams.Output);
        Assert.Equal("err\n", streams.Error);
        Assert.Equal("1 bar /tmp 1000:1000\n",
            daemon.DockerChecked("exec", "-e", "FOO=bar", "-w", "/tmp", "-u", "1000:1000", "c1", "sh", "-c", "echo $FROM_RUN $FOO $(pwd) $(id -u):$(id -g)").Output);

        // Stdin to the process, its end passed on (cat exits); a terminal.
        var piped = DockerWithInput(daemon, "hi\nthere\n", "exec", "-i", "c1", "cat");
        Assert.Equal(0, piped.ExitCode);
        Assert.Equal("hi\nthere\n", piped.Output);
        Assert.Matches(@"^/dev/pts/\d+\r?\n$", daemon.DockerChecked("exec", "-t", "c1", "tty").Output);
        Assert.Equal(1, daemon.Docker("exec", "c1", "tty").ExitCode);

        // Detached: runs on its own.
        Assert.Equal("", daemon.DockerChecked("exec", "-d", "c1", "touch", "/tmp/x").Output);
        Assert.True(Poll.Until(() => daemon.Docker("exec", "c1", "test", "-f", "/tmp/x").ExitCode == 0, Soon), "the detached exec did not create /tmp/x");

        // The API below the CLI: a start without Upgrade streams the framed output as its body; inspect after the end.
        string execId = Api(daemon, "POST", "/v1.45/containers/c1/exec", """{"Cmd":["sh","-c","echo api; exit 3"],"AttachStdout":true,"AttachStderr":true}""")[7..^3];
        Assert.Equal("\u0001\0\0\0\0\0\0\u0004api\n", Api(daemon, "POST", $"/v1.45/exec/{execId}/start", """{"Detach":false,"Tty":false}"""));
        string inspect = Api(daemon, "GET", $"/v1.45/exec/{execId}/json", null);
        Assert.Contains("\"Running\":false,\"ExitCode\":3,\"ProcessConfig\":{\"tty\":false,\"entrypoint\":\"sh\",\"arguments\":[\"-c\",\"echo api; exit 3\"],\"privileged\":false,\"user\":\"\"}", inspect, StringComparison.Ordinal);
        Assert.Contains($"\"ContainerID\":\"{id}\"", inspect, StringComparison.Ordinal);
        Assert.Contains("has already run", Api(daemon, "POST", $"/v1.45/exec/{execId}/start", """{"Detach":true}"""), StringComparison.Ordinal);
        Assert.Contains("No such exec instance: nosuch", Api(daemon, "GET", "/v1.45/exec/nosuch/json", null), StringComparison.Ordinal);

        // What Docker answers for a missing command, a missing container, a stopped one.
        var missing = daemon.Docker("exec", "c1", "nosuchcommand");
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("executable file not found", missing.Output + missing.Error, StringComparison.Ordinal);
        Assert.Contains("No such container: nosuch", daemon.Docker("exec", "nosuch", "true").Error, StringComparison.Ordinal);
        daemon.DockerChecked("stop", "-t", "1", "c1");
        var stopped = daemon.Docker("exec", "c1", "true");
        Assert.NotEqual(0, stopped.ExitCode);
        Assert.Contains($"Container {id} is not running", stopped.Error, StringComparison.Ordinal);

        daemon.DockerChecked("rm", "c1");
        daemon.DockerChecked("network", "rm", "execnet");
    }

    [RootFact]
    public void ExecProcessesEndWithTheirContainerAndWithBerthd()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("run", "-d", "--name", "ca", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "cb", "bb:latest", "sleep", "300");
        string marker = "9" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        daemon.DockerChecked("exec", "-d", "ca", "sleep", marker);
        daemon.DockerChecked("exec", "-d", "cb", "sleep", marker + "1");
        Assert.True(Poll.Until(() => Running("sleep " + marker).Length == 2, Soon), "the detached execs are not running");

        // The container stops: its exec goes with its pid namespace, and runc exec with it.
        daemon.DockerChecked("stop", "-t", "1", "ca");
        Assert.True(Poll.Until(() => Running("sleep " + marker + "$").Length == 0, Soon), "the exec outlived its container");

        // berthd stops: the exec it started is killed, the container keeps running.
        daemon.Stop();
        Assert.True(Poll.Until(() => Running("sleep " + marker + "1").Length == 0, Soon), "the exec outlived berthd");
        Assert.Empty(Running("runc --root .*" + TestRoot + ".* exec"));
        var again = Restart(daemon);
        Assert.Equal("cb", again.DockerChecked("ps", "--format", "{{.Names}}").Output.Trim());
        Assert.Equal("again\n", again.DockerChecked("exec", "cb", "echo", "again").Output);
        again.DockerChecked("rm", "-f", "ca", "cb");
        again.Stop();
    }

    /// <summary>One API call with curl on the daemon's socket; the body as received.</summary>
    private static string Api(Berthd daemon, string method, string path, string? body) =>
        Cmd.Check("curl", ["-sS", "--unix-socket", daemon.Socket, "-X", method, "-H", "Content-Type: application/json",
            .. body is null ? Array.Empty<string>() : ["-d", body], "http://berth" + path]);

    /// <summary>Pids of host processes whose command line matches <paramref name="pattern"/>.</summary>
    private static string[] Running(string pattern) =>
        Cmd.Run("pgrep", "-f", pattern).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static CmdResult DockerWithInput(Berthd daemon, string input, params string[] args)
    {
        var start = new ProcessStartInfo(RepoPaths.DockerCli)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOCKER_HOST"] = daemon.Host;
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"docker {string.Join(' ', args)} did not finish within 60 s");
        }

        return new CmdResult("docker " + string.Join(' ', args), process.ExitCode, output.Result, error.Result);
    }
}
