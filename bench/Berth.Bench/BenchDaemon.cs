using System.Diagnostics;
using System.Globalization;

namespace Berth.Bench;

/// <summary>
/// out/berthd (the AOT build) under <c>nsenter --net=</c> in a network namespace of its own, with its own
/// root, exec-root and socket under <paramref name="dir"/>: never on the machine's real network. Disposing
/// stops it (SIGTERM) and removes its namespace.
/// </summary>
internal sealed class BenchDaemon : IDisposable
{
    private const int KeptLogLines = 50;

    private readonly Process _process;
    private readonly string _dir;
    private readonly Queue<string> _lastLines = new();

    private BenchDaemon(Process process, string dir, string netns, string socket)
    {
        _process = process;
        _dir = dir;
        Netns = netns;
        Socket = socket;
    }

    /// <summary>The name of berthd's namespace under /run/netns.</summary>
    public string Netns { get; }

    public string NetnsPath => $"/run/netns/{Netns}";

    public string Socket { get; }

    public string Host => "unix://" + Socket;

    public int Pid => _process.Id;

    /// <summary>berthd's --root (its swarm identity is under swarm/).</summary>
    public string Root => Path.Combine(_dir, "root");

    /// <summary>berthd's --exec-root (its namespaces' files are under netns/).</summary>
    public string ExecRoot => Path.Combine(_dir, "exec");

    public DockerCli Cli => new(Host);

    /// <summary>Raised for every line berthd writes (on the reader's thread), e.g. to collect its debug timings.</summary>
    public event Action<string>? LineReceived;

    /// <summary>Starts berthd and waits until `docker version` answers through its socket.</summary>
    /// <remarks>
    /// BERTH_BENCH_BERTHD names another berthd binary (e.g. a JIT build to profile) and
    /// BERTH_BENCH_LOG_LEVEL its log level; its log goes to stderr only when that is debug or trace.
    /// <paramref name="logLevel"/> sets the level for a benchmark that reads berthd's own timings (not echoed);
    /// <paramref name="extraArguments"/> go to berthd as they are (e.g. --default-runtime crun).
    /// </remarks>
    public static BenchDaemon Start(string dir, string suffix, string? logLevel = null, IReadOnlyList<string>? extraArguments = null)
    {
        string berthd = Environment.GetEnvironmentVariable("BERTH_BENCH_BERTHD") is { Length: > 0 } own ? own : Path.Combine(Environment.CurrentDirectory, "out", "berthd");
        string? asked = Environment.GetEnvironmentVariable("BERTH_BENCH_LOG_LEVEL") is { Length: > 0 } level ? level : null;
        logLevel ??= asked ?? "warn";
        string netns = $"berth-bench-{Environment.ProcessId}-{suffix}";
        string socket = Path.Combine(dir, "berth.sock");
        Directory.CreateDirectory(dir);
        Exec.Run("ip", "netns", "add", netns);
        try
        {
            Exec.Run("ip", "-n", netns, "link", "set", "lo", "up");
            var process = Process.Start(new ProcessStartInfo("nsenter", [$"--net=/run/netns/{netns}", berthd, "-H", "unix://" + socket, "--root", Path.Combine(dir, "root"), "--exec-root", Path.Combine(dir, "exec"), "--log-level", logLevel, .. extraArguments ?? []])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("cannot start berthd");
            var daemon = new BenchDaemon(process, dir, netns, socket);
            bool echo = asked is "debug" or "trace";
            process.ErrorDataReceived += (_, line) => daemon.Keep(line.Data, echo);
            process.OutputDataReceived += (_, line) => daemon.Keep(line.Data, echo);
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            try
            {
                Poll.Until(() => process.HasExited || daemon.Cli.Run("version").Code == 0, TimeSpan.FromSeconds(20), "berthd to answer");
                return process.HasExited ? throw new InvalidOperationException("berthd exited: " + daemon.LastLines()) : daemon;
            }
            catch
            {
                daemon.Dispose();
                throw;
            }
        }
        catch
        {
            Exec.TryRun("ip", "netns", "del", netns);
            throw;
        }
    }

    /// <summary>berthd's last lines of output, for an error message.</summary>
    public string LastLines()
    {
        lock (_lastLines)
        {
            return string.Join('\n', _lastLines);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Exec.Run("kill", "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture));
            _process.WaitForExit(20000);
        }

        _process.Dispose();
        Exec.TryRun("umount", "-l", Path.Combine(ExecRoot, "netns"));
        Exec.TryRun("ip", "netns", "del", Netns);
    }

    // berthd's output is always read: an unread pipe would block it once full.
    private void Keep(string? line, bool echo)
    {
        if (line is null)
        {
            return;
        }

        if (echo)
        {
            Console.Error.WriteLine("berthd: " + line);
        }

        LineReceived?.Invoke(line);

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > KeptLogLines)
            {
                _lastLines.Dequeue();
            }
        }
    }
}
