using System.Diagnostics;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// Debian's Docker 20.10 (<c>dockerd --storage-driver=vfs</c>) running inside a lab host, under <c>nsenter --net=</c>,
/// with its own data root, exec root (its containerd lives there), pid file and socket under <paramref name="dir"/>:
/// its bridge and iptables rules exist only in the lab host's namespace. Disposing stops it and its containerd,
/// unmounts what it left and removes its directory (and the trust key it writes to /etc/docker, if it made it).
/// </summary>
public sealed class LabDockerd : IDisposable
{
    public const string Binary = "/usr/sbin/dockerd";
    private const string TrustKey = "/etc/docker/key.json";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly LabHost _host;
    private readonly string _dir;
    private readonly bool _trustKeyExisted = File.Exists(TrustKey);
    private Process? _process;

    public LabDockerd(LabHost host, string dir)
    {
        _host = host;
        _dir = dir;
    }

    public string Socket => Path.Combine(_dir, "docker.sock");

    /// <summary>Starts dockerd and waits until it answers <c>docker version</c> through its socket.</summary>
    public void Start()
    {
        Directory.CreateDirectory(_dir);
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])[$"--net={_host.NetnsPath}", Binary, "-H", "unix://" + Socket, "--data-root", Path.Combine(_dir, "data"),
                     "--exec-root", Path.Combine(_dir, "exec"), "--pidfile", Path.Combine(_dir, "dockerd.pid"), "--storage-driver=vfs", "--log-level", "warn"])
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dockerd");

        // Its output is always read: an unread pipe would block it once full.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        bool up = Poll.Until(() => _process.HasExited || Cmd.Run(RepoPaths.DockerCli, "-H", "unix://" + Socket, "version").ExitCode == 0, StartTimeout);
        Assert.True(up && !_process.HasExited, "dockerd did not answer within " + StartTimeout);
    }

    /// <summary>SIGTERM, as a service manager stops it; waits for it and for the containerd it started.</summary>
    public void Stop()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            Cmd.Run("kill", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!_process.WaitForExit(StopTimeout))
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }

        _process.Dispose();
        _process = null;

        // containerd (and any shim) started by this dockerd: found by the exec root in their command lines.
        string[] Children() => Cmd.Run("pgrep", "-f", Path.Combine(_dir, "exec")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Poll.Until(() => Children().Length == 0, TimeSpan.FromSeconds(10));
        foreach (string pid in Children())
        {
            Cmd.Run("kill", "-KILL", pid);
        }
    }

    public void Dispose()
    {
        Stop();
        foreach (string mount in File.ReadAllLines("/proc/self/mounts").Select(l => l.Split(' ')[1]).Where(m => m.StartsWith(_dir, StringComparison.Ordinal)).OrderByDescending(m => m.Length))
        {
            Cmd.Run("umount", "-l", mount);
        }

        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }

        if (!_trustKeyExisted && File.Exists(TrustKey))
        {
            File.Delete(TrustKey);
        }
    }
}
