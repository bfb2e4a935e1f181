using System.Diagnostics;
using System.Globalization;

namespace Berth.Bench;

/// <summary>
/// Debian's Docker 20.10 (`dockerd --storage-driver=vfs`, the reference the benchmarks compare with) under
/// <c>nsenter --net=</c> in a network namespace of its own, with its own data root, exec root (its containerd
/// lives there too), pid file and socket under <paramref name="dir"/>: its bridges and iptables rules never
/// reach the machine's real network. Disposing stops it (SIGTERM), unmounts what it left and removes the
/// namespace and the directory.
/// </summary>
internal sealed class BenchDockerd : IDisposable
{
    public const string Binary = "/usr/sbin/dockerd";

    /// <summary>The address of a single-node swarm's dockerd (<see cref="AddSwarmAddress"/>), beside the lab LAN's 10.89.0.0/24.</summary>
    public const string SwarmAddress = "10.89.1.1";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _dir;

    private BenchDockerd(Process process, string dir, string netns)
    {
        _process = process;
        _dir = dir;
        Netns = netns;
    }

    public string Netns { get; }

    public string NetnsPath => $"/run/netns/{Netns}";

    public int Pid => _process.Id;

    public DockerCli Cli => new("unix://" + Path.Combine(_dir, "docker.sock"));

    /// <summary>Whether this machine has Debian's dockerd (docker.io) to start as the reference.</summary>
    public static bool Installed => File.Exists(Binary);

    /// <summary>Starts dockerd and waits until `docker version` answers through its socket.</summary>
    public static BenchDockerd Start(string dir, string suffix)
    {
        string netns = $"berth-bench-{Environment.ProcessId}-{suffix}";
        Directory.CreateDirectory(dir);
        Exec.Run("ip", "netns", "add", netns);
        try
        {
            Exec.Run("ip", "-n", netns, "link", "set", "lo", "up");
            var process = Process.Start(new ProcessStartInfo("nsenter",
            [
                $"--net=/run/netns/{netns}", Binary, "-H", "unix://" + Path.Combine(dir, "docker.sock"),
                "--data-root", Path.Combine(dir, "data"), "--exec-root", Path.Combine(dir, "exec"),
                "--pidfile", Path.Combine(dir, "dockerd.pid"), "--storage-driver=vfs", "--log-level", "warn",
            ])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("cannot start dockerd");

            // Its output is always read: an unread pipe would block it once full.
            process.ErrorDataReceived += (_, _) => { };
            process.OutputDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            var dockerd = new BenchDockerd(process, dir, netns);
            try
            {
                Poll.Until(() => process.HasExited || dockerd.Cli.Run("version").Code == 0, StartTimeout, "dockerd to answer");
                return process.HasExited ? throw new InvalidOperationException($"dockerd exited with {process.ExitCode}") : dockerd;
            }
            catch
            {
                dockerd.Dispose();
                throw;
            }
        }
        catch
        {
            Exec.TryRun("ip", "netns", "del", netns);
            throw;
        }
    }

    /// <summary>
    /// Gives dockerd's namespace <see cref="SwarmAddress"/>/24 besides loopback, on a veth whose peer is in the same
    /// namespace (this kernel has no dummy links): what `swarm init --advertise-addr` needs, and nothing leaves the namespace.
    /// </summary>
    public void AddSwarmAddress()
    {
        Exec.Run("ip", "-n", Netns, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        Exec.Run("ip", "-n", Netns, "addr", "add", SwarmAddress + "/24", "dev", "d0");
        Exec.Run("ip", "-n", Netns, "link", "set", "d1", "up");
        Exec.Run("ip", "-n", Netns, "link", "set", "d0", "up");
    }

    /// <summary>
    /// Starts dockerd (<see cref="Start"/>) as a single-node swarm: <see cref="AddSwarmAddress"/>, `swarm init
    /// --advertise-addr` it, and the bench's image imported (its tar built under <paramref name="dir"/>).
    /// </summary>
    public static BenchDockerd StartSwarm(string dir, string suffix)
    {
        var dockerd = Start(dir, suffix);
        try
        {
            dockerd.AddSwarmAddress();
            dockerd.Cli.Checked("swarm", "init", "--advertise-addr", SwarmAddress);
            BusyboxImage.Import(dockerd.Cli, dir);
            return dockerd;
        }
        catch
        {
            dockerd.Dispose();
            throw;
        }
    }

    /// <summary>Best effort, before <see cref="Dispose"/>: every service and container, the network <paramref name="network"/>, then `swarm leave --force`.</summary>
    public void LeaveSwarm(string network)
    {
        var services = Cli.Run("service", "ls", "-q").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (services.Length > 0)
        {
            Cli.Run(["service", "rm", .. services]);
        }

        var ids = Cli.Run("ps", "-aq").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length > 0)
        {
            Cli.Run(["rm", "-f", .. ids]);
        }

        Cli.Run("network", "rm", network);
        Cli.Run("swarm", "leave", "--force");
    }

    /// <summary>dockerd and the containerd it started (the daemon's RSS is their sum).</summary>
    public List<int> DaemonPids()
    {
        var pids = new List<int> { Pid };
        string children = Path.Combine("/proc", Pid.ToString(CultureInfo.InvariantCulture), "task", Pid.ToString(CultureInfo.InvariantCulture), "children");
        if (File.Exists(children))
        {
            pids.AddRange(File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)));
        }

        return pids;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Exec.TryRun("kill", "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture));
            if (!_process.WaitForExit(StopTimeout))
            {
                Exec.TryRun("kill", "-KILL", _process.Id.ToString(CultureInfo.InvariantCulture));
                _process.WaitForExit(StopTimeout);
            }
        }

        _process.Dispose();

        // dockerd leaves its namespaces' bind mounts (exec/netns) and, with vfs, nothing else mounted.
        foreach (string mount in MountsUnder(_dir).OrderByDescending(m => m.Length))
        {
            Exec.TryRun("umount", "-l", mount);
        }

        Exec.TryRun("ip", "netns", "del", Netns);
        Exec.TryRun("rm", "-rf", _dir);
    }

    private static List<string> MountsUnder(string dir) =>
        [.. File.ReadAllLines("/proc/self/mounts").Select(l => l.Split(' ')[1]).Where(m => m.StartsWith(dir + "/", StringComparison.Ordinal))];
}
