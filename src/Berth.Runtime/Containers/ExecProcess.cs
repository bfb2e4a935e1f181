using System.ComponentModel;
using System.Diagnostics;
using Berth.Core.Errors;
using Berth.Runtime.Containers.Oci;
using Libc = Berth.Linux.Interop.Libc;

namespace Berth.Runtime.Containers;

/// <summary>
/// One <c>runc exec</c> in the foreground: runc joins the container's namespaces, runs the process and exits
/// with its exit code. Without a terminal the process gets runc's own stdio, our pipes. With one, runc needs a
/// terminal as its stdio (it makes the container's pty and proxies it to its own), so runc gets the slave of a
/// <see cref="PseudoTerminal"/> whose master stays here. runc is berthd's child: when the container stops the
/// kernel kills the process with the container's pid namespace and runc exits; <see cref="DisposeAsync"/>
/// kills a process still running (berthd stopping).
/// </summary>
public sealed partial class ExecProcess : IAsyncDisposable
{
    /// <summary>Output still readable after the process exited (a background child keeping the pipe open) is given this long.</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    private const int BufferBytes = 32 * 1024;

    private readonly Process _runc;
    private readonly ExecPaths _paths;
    private readonly PseudoTerminal? _terminal;
    private int _pid;

    private ExecProcess(Process runc, ExecPaths paths, PseudoTerminal? terminal, Stream stdout, Stream? stderr, Stream stdin)
    {
        _runc = runc;
        _paths = paths;
        _terminal = terminal;
        Stdout = stdout;
        Stderr = stderr;
        Stdin = stdin;
        Exited = WaitAsync();
    }

    /// <summary>The process's output; with a terminal, everything it wrote.</summary>
    public Stream Stdout { get; }

    /// <summary>Null with a terminal (one stream).</summary>
    public Stream? Stderr { get; }

    /// <summary>The process's input (the terminal's, with one).</summary>
    public Stream Stdin { get; }

    public bool Tty => _terminal is not null;

    /// <summary>Completes when runc has exited (and the exec's files are gone).</summary>
    public Task<ExecExit> Exited { get; }

    /// <summary>The process's pid on the host, once runc has written it; else 0.</summary>
    public int Pid
    {
        get
        {
            if (_pid == 0 && ConmonLauncher.ReadPid(_paths.PidFile) is int pid)
            {
                _pid = pid;
            }

            return _pid;
        }
    }

    /// <summary>Starts <paramref name="process"/> in container <paramref name="containerId"/>; its files go to <paramref name="paths"/>.</summary>
    public static async Task<ExecProcess> StartAsync(RuncClient runc, string containerId, ExecPaths paths, OciProcess process, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runc);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(process);
        Directory.CreateDirectory(paths.Directory);
        paths.Delete();
        await File.WriteAllTextAsync(paths.Process, ExecProcessSpec.Serialize(process), cancellationToken).ConfigureAwait(false);
        OciRuntime runtime = runc.RuntimeOf(containerId);
        string[] args =
        [
            "--root", runtime.Root, "--log", paths.RuncLog, "--log-format", "json",
            "exec", "--process", paths.Process, "--pid-file", paths.PidFile, containerId,
        ];
        try
        {
            return process.Terminal ? StartWithTerminal(runtime.Path, args, paths, process.ConsoleSize) : StartWithPipes(runtime.Path, args, paths);
        }
        catch (Win32Exception e)
        {
            paths.Delete();
            throw new BerthException(ErrorKind.Unavailable, $"container {containerId}: cannot run {runtime.Path} for exec: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads stdout and stderr until both end, handing each chunk to <paramref name="sink"/> one at a time.
    /// Returns at the latest <see cref="OutputGrace"/> after the process exited.
    /// </summary>
    public async Task PumpOutputAsync(Func<LogStream, ReadOnlyMemory<byte>, ValueTask> sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        using var gate = new SemaphoreSlim(1, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        async Task PumpAsync(Stream stream, LogStream kind)
        {
            byte[] buffer = new byte[BufferBytes];
            try
            {
                while (true)
                {
                    int read = await stream.ReadAsync(buffer, stop.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return;
                    }

                    await gate.WaitAsync(stop.Token).ConfigureAwait(false);
                    try
                    {
                        await sink(kind, buffer.AsMemory(0, read)).ConfigureAwait(false);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }
            catch (IOException)
            {
                // EIO from a terminal's master once nothing holds the slave: the end of its output.
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        Task pumps = Task.WhenAll(PumpAsync(Stdout, LogStream.Stdout), Stderr is null ? Task.CompletedTask : PumpAsync(Stderr, LogStream.Stderr));
        async Task GraceAfterExitAsync()
        {
            await Exited.ConfigureAwait(false);
            await Task.Delay(OutputGrace, stop.Token).ConfigureAwait(false);
        }

        Task grace = GraceAfterExitAsync();
        if (await Task.WhenAny(pumps, grace).ConfigureAwait(false) != pumps)
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }

        await pumps.ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await grace.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>End of input: the process reads EOF. A terminal has no such thing (its EOF is Ctrl-D in the stream).</summary>
    public void CloseStdin()
    {
        if (_terminal is null)
        {
            _runc.StandardInput.Close();
        }
    }

    /// <summary>Sets the terminal's size; runc copies it to the container's terminal on SIGWINCH. No-op without a terminal.</summary>
    public void Resize(ushort rows, ushort columns)
    {
        if (_terminal is null || Exited.IsCompleted)
        {
            return;
        }

        _terminal.Resize(rows, columns);
        Libc.Kill(_runc.Id, Libc.SIGWINCH);
    }

    /// <summary>SIGKILL to the process (runc then exits with 137); to runc itself when the process has not started yet.</summary>
    public void Kill()
    {
        if (Exited.IsCompleted)
        {
            return;
        }

        // runc reaps the process only just before it exits itself, so while runc runs the pid is still the process's.
        if (Pid > 0)
        {
            Libc.Kill(Pid, Libc.SIGKILL);
        }
        else
        {
            _runc.Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        if (await Task.WhenAny(Exited, Task.Delay(KillGrace)).ConfigureAwait(false) != Exited)
        {
            _runc.Kill(entireProcessTree: true);
            await Exited.ConfigureAwait(false);
        }

        await Stdout.DisposeAsync().ConfigureAwait(false);
        if (Stderr is not null)
        {
            await Stderr.DisposeAsync().ConfigureAwait(false);
        }

        await Stdin.DisposeAsync().ConfigureAwait(false);
        _terminal?.Dispose();
        _runc.Dispose();
    }

    private static ExecProcess StartWithPipes(string runcPath, string[] args, ExecPaths paths)
    {
        var start = new ProcessStartInfo(runcPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var runc = Process.Start(start) ?? throw new BerthException(ErrorKind.Unavailable, $"cannot start {runcPath}");
        return new ExecProcess(runc, paths, null, runc.StandardOutput.BaseStream, runc.StandardError.BaseStream, runc.StandardInput.BaseStream);
    }

    private async Task<ExecExit> WaitAsync()
    {
        await _runc.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        int code = _runc.ExitCode;
        _ = Pid;
        string? error = code == ExecStartFailure.RuncFailed ? ExecStartFailure.ReadRuncError(_paths.RuncLog) : null;
        _paths.Delete();
        return error is null ? new ExecExit(code) : new ExecExit(ExecStartFailure.ExitCodeFor(error), error);
    }
}
