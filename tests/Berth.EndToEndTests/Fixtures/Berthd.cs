using System.Diagnostics;
using System.Net.Sockets;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// A berthd process running inside a lab host's namespace (<c>ip netns exec</c>), with its own
/// root, exec-root and socket under the test's directory. Never on the machine's real network.
/// </summary>
public sealed class Berthd : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);

    private readonly LabHost _host;
    private readonly string[] _extraArgs;
    private Process? _process;
    private bool _disposed;
    private readonly System.Text.StringBuilder _log = new();

    /// <remarks>
    /// BERTH_TEST_RUNTIME=NAME runs every daemon whose test does not choose one with <c>--default-runtime NAME</c>
    /// (e.g. crun: the suite under another OCI runtime).
    /// </remarks>
    public Berthd(LabHost host, string directory, params string[] extraArgs)
    {
        _host = host;
        _extraArgs = System.Environment.GetEnvironmentVariable("BERTH_TEST_RUNTIME") is { Length: > 0 } runtime && !extraArgs.Contains("--default-runtime")
            ? [.. extraArgs, .. runtime == "crun" && !extraArgs.Contains("--add-runtime") ? CrunRuntime.Arguments : [], "--default-runtime", runtime]
            : extraArgs;
        Root = Path.Combine(directory, "root");
        ExecRoot = Path.Combine(directory, "exec");
        Socket = Path.Combine(directory, "berth.sock");
    }

    public string Root { get; }

    /// <summary>Variables added to berthd's environment (the crash tests' <c>BERTH_CRASH_CONTROL</c>, say).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public string ExecRoot { get; }

    public string Socket { get; }

    public string Host => "unix://" + Socket;

    public LabHost LabHost => _host;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public int Pid => _process?.Id ?? throw new InvalidOperationException("berthd is not running");

    public bool IsRunning => !_disposed && _process is { HasExited: false };

    /// <summary>Starts berthd and waits until it answers /_ping; returns the time that took.</summary>
    public TimeSpan Start()
    {
        // nsenter switches only the network namespace; `ip netns exec` would also give berthd a mount
        // namespace with a fresh /sys, without the cgroup mount runc needs.
        var start = new ProcessStartInfo("nsenter")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])[$"--net={_host.NetnsPath}", RepoPaths.Berthd, "-H", Host, "--root", Root, "--exec-root", ExecRoot, .. _extraArgs])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start berthd");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (!Poll.Until(() => _process.HasExited || Pings(), ReadyTimeout) || _process.HasExited)
        {
            throw new InvalidOperationException($"berthd did not become ready (exited: {_process.HasExited}):\n{Log}");
        }

        return clock.Elapsed;
    }

    /// <summary>SIGTERM and wait: a clean shutdown.</summary>
    public int Stop()
    {
        if (_process is null || _process.HasExited)
        {
            return _process?.ExitCode ?? 0;
        }

        Cmd.Check("kill", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!_process.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            _process.Kill();
            throw new InvalidOperationException("berthd did not stop within 20 s of SIGTERM:\n" + Log);
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL: a crash at whatever point it is.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public bool Pings()
    {
        try
        {
            using var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(Socket));
            socket.Send("GET /_ping HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n\r\n"u8);
            var buffer = new byte[512];
            int n = socket.Receive(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, n).StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// The directory both CLIs keep their <c>config.json</c> in (<c>DOCKER_CONFIG</c>: registry logins); null: the
    /// user's own. A test that logs in sets one under its root, so nothing it stores outlives it.
    /// </summary>
    public string? ClientConfig { get; set; }

    /// <summary>The real docker CLI against this daemon.</summary>
    public CmdResult Docker(params string[] args) => Exec.Run(ClientEnvironment("DOCKER_HOST"), RepoPaths.DockerCli, args);

    /// <summary>Berth's own CLI against this daemon.</summary>
    public CmdResult BerthCli(params string[] args) => Exec.Run(ClientEnvironment("BERTH_HOST"), RepoPaths.Berth, args);

    private Dictionary<string, string> ClientEnvironment(string hostVariable)
    {
        var environment = new Dictionary<string, string> { [hostVariable] = Host };
        if (ClientConfig is not null)
        {
            environment["DOCKER_CONFIG"] = ClientConfig;
        }

        return environment;
    }

    public CmdResult DockerChecked(params string[] args)
    {
        var result = Docker(args);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("docker failed: " + result + "\n--- berthd log ---\n" + Log);
        }

        return result;
    }

    /// <summary>docker rm -f of every container, when this daemon still runs.</summary>
    public void RemoveAllContainers()
    {
        if (!IsRunning)
        {
            return;
        }

        var ids = Docker("ps", "-aq").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length > 0)
        {
            Docker(["rm", "-f", .. ids]);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            // A test's own `using` runs before the fixture's teardown: remove what it left running while
            // the daemon can still do it, so a failing test reports its failure and not leftover monitors.
            RemoveAllContainers();
        }
        finally
        {
            _disposed = true;
        }

        try
        {
            Stop();
        }
        finally
        {
            _process?.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
