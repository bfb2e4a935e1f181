using System.Diagnostics;
using System.Globalization;
using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Runtime.Containers;

/// <summary>
/// The one place that runs <c>conmon</c>. conmon is started without <c>--sync</c>: its first process
/// forks the monitor and exits at once, so the monitor is re-parented to init (or the nearest
/// subreaper) and outlives the caller; it connects its own stdio to /dev/null, so our pipes reach EOF.
/// The monitor runs <c>runc create</c>, writes the container's pid file, and — when the container
/// exits — the exit file <c>EXITDIR/ID</c> holding the exit code.
/// </summary>
public sealed class ConmonLauncher(ContainerRuntimeOptions options)
{
    /// <summary>Re-check interval while waiting for runc's pid file; an inotify event usually ends the wait sooner.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>The arguments conmon gets for one container (public so tests and docs can show them).</summary>
    /// <remarks><paramref name="runtime"/>: the OCI runtime conmon runs (null: the default one).</remarks>
    public IReadOnlyList<string> Arguments(string id, ContainerPaths paths, bool tty, StdinMode stdin = StdinMode.None, string? logPath = null, OciRuntime? runtime = null)
    {
        runtime ??= options.Runtimes.Resolve(null, options.RuncRoot);
        var args = new List<string>
        {
            "--api-version", "1",
            "--cid", id,
            "--cuuid", id,
            "--name", id,
            "--runtime", runtime.Path,
            "--bundle", paths.Directory,
            "--container-pidfile", paths.ContainerPidFile,
            "--conmon-pidfile", paths.ConmonPidFile,
            "--log-path", "k8s-file:" + (logPath ?? paths.Log),
            "--exit-dir", options.ExitDirectory,
            "--socket-dir-path", options.SocketDirectory,
            "--runtime-arg", "--root=" + runtime.Root,
            "--runtime-arg", "--log=" + paths.RuncLog,
            "--runtime-arg", "--log-format=json",
            "--log-level", "warning",
        };
        if (options.LogSizeMax is long max)
        {
            args.Add("--log-size-max");
            args.Add(max.ToString(CultureInfo.InvariantCulture));
        }

        if (tty)
        {
            args.Add("--terminal");
        }

        if (stdin != StdinMode.None)
        {
            args.Add("--stdin");
        }

        if (stdin == StdinMode.KeptOpen)
        {
            args.Add("--leave-stdin-open");
        }

        return args;
    }

    /// <summary>Starts conmon (→ <c>runc create</c>) and waits until the container's init exists.</summary>
    public async Task<ConmonResult> LaunchAsync(ContainerSpec spec, ContainerPaths paths, OciRuntime runtime, CancellationToken cancellationToken = default)
    {
        File.Delete(paths.ContainerPidFile);
        File.Delete(paths.ConmonPidFile);
        using var pidFiles = new DirectoryWatch(paths.Directory);
        var start = new ProcessStartInfo(options.ConmonPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = paths.Directory,
        };
        string id = spec.Id;
        foreach (string arg in Arguments(id, paths, spec.Tty, spec.Stdin, spec.LogPath, runtime))
        {
            start.ArgumentList.Add(arg);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.OperationTimeout);
        string stderr;
        long launched = Stopwatch.GetTimestamp();
        using (Process process = Process.Start(start) ?? throw new BerthException(ErrorKind.Unavailable, $"container {id}: cannot start {options.ConmonPath}"))
        using (StreamReader stdout = process.StandardOutput, stderrReader = process.StandardError)
        {
            // Process.Dispose leaves the streams a caller took to the caller: closed here, or two pipes per
            // container stay open in berthd until a finalizer runs.
            process.StandardInput.Close();
            Task<string> output = stdout.ReadToEndAsync(CancellationToken.None);
            Task<string> error = stderrReader.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
                stderr = (await error.WaitAsync(deadline.Token).ConfigureAwait(false)).Trim();
                await output.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                throw new BerthException(ErrorKind.Unavailable, $"container {id}: conmon did not detach within {options.OperationTimeout.TotalSeconds:0} s and was killed");
            }

            if (process.ExitCode != 0)
            {
                throw new BerthException(ErrorKind.Internal, $"container {id}: conmon failed with exit code {process.ExitCode}: {stderr}");
            }
        }

        TimeSpan detached = Stopwatch.GetElapsedTime(launched);
        int conmonPid = ReadPid(paths.ConmonPidFile)
            ?? throw new BerthException(ErrorKind.Internal, $"container {id}: conmon exited without writing its pid file {paths.ConmonPidFile}: {stderr}");

        // The monitor now runs `runc create`; done when the container pid file appears, failed when the monitor is gone first.
        string containerPidFile = Path.GetFileName(paths.ContainerPidFile);
        while (true)
        {
            Task written = pidFiles.Next(containerPidFile);
            if (ReadPid(paths.ContainerPidFile) is int containerPid)
            {
                return new ConmonResult(conmonPid, containerPid) { Detached = detached };
            }

            if (!IsAlive(conmonPid))
            {
                // Re-check: the pid file may have been written just before the monitor exited.
                if (ReadPid(paths.ContainerPidFile) is int late)
                {
                    return new ConmonResult(conmonPid, late) { Detached = detached };
                }

                // Docker's words (containerd's shim around runc's own message), which the docker CLI reads for its exit code.
                string? error = ExecStartFailure.ReadRuncError(paths.RuncLog);
                string runcLog = File.Exists(paths.RuncLog) ? File.ReadAllText(paths.RuncLog).Trim() : "(runc wrote no log)";
                throw new BerthException(ErrorKind.Internal, error is null
                    ? $"container {id}: runc create failed: {runcLog}"
                    : $"failed to create shim task: OCI runtime create failed: {error}: unknown");
            }

            try
            {
                await DirectoryWatch.WaitAsync(written, PollInterval, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new BerthException(ErrorKind.Unavailable, $"container {id}: runc create did not finish within {options.OperationTimeout.TotalSeconds:0} s");
            }
        }
    }

    /// <summary>The pid in a pid file, or null when the file is absent or not yet complete.</summary>
    public static int? ReadPid(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Whether a process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        if (Libc.Kill(pid, Libc.SignalProbe) != 0 && Libc.LastErrno() == Errno.ESRCH)
        {
            return false;
        }

        try
        {
            // "PID (comm) S ..." — the state follows the last ')'; Z is a zombie, already dead.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
