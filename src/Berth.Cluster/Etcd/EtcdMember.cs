using System.Diagnostics;
using System.Globalization;
using Berth.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Etcd;

/// <summary>
/// A manager's etcd member, run and supervised by berthd: started (a member left running by a berthd that was
/// killed is stopped first, found by its pid file), waited for until it serves, restarted with backoff when it
/// exits on its own, and stopped (TERM, then KILL) with the node's part in the cluster.
/// </summary>
/// <remarks>
/// etcd writes to its own log file, not to a pipe of berthd's: a berthd killed with -9 must not take its member
/// down by a broken pipe, or kill -9 of one manager would cost the cluster two failures at once.
/// </remarks>
public sealed partial class EtcdMember(EtcdMemberOptions options, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan FirstRestartDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Go's heap may grow to 125 % of what is live before a collection (Go's default is 200 %): an idle member's
    /// live heap is ~20 MB, mostly raft's fixed per-peer buffers, so the default lets garbage take as much again.
    /// Measured on a lab swarm's raft leader: 41 MB resident with 50, 37.7 with 25, a collection every ~2 s of
    /// ~3 ms at no measurable CPU. The memory stays proportional to the data (a fixed GOMEMLIMIT of 28 MiB had the
    /// collector run 40 times a second over a 20 MB heap, and a big store would make it chase any such limit).
    /// </summary>
    private const string GoGcPercent = "25";

    /// <summary>How much of etcd's log an error quotes.</summary>
    private const int LogTailLines = 5;

    private readonly CancellationTokenSource _stopping = new();
    private Process? _process;
    private Task? _supervision;

    public EtcdMemberOptions Options { get; } = options;

    /// <summary>The running member's pid (0 when none).</summary>
    public int Pid
    {
        get
        {
            try
            {
                return _process is { HasExited: false } p ? p.Id : 0;
            }
            catch (InvalidOperationException)
            {
                return 0; // replaced by the supervisor at this moment
            }
        }
    }

    /// <summary>Starts the member and waits until it serves clients; then keeps it running until <see cref="StopAsync"/>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_supervision is not null)
        {
            throw new InvalidOperationException("the etcd member was started already");
        }

        await StopLeftoverAsync(cancellationToken).ConfigureAwait(false);
        _process = await LaunchAsync(cancellationToken).ConfigureAwait(false);
        _supervision = SuperviseAsync(_stopping.Token);
    }

    /// <summary>Stops the member (TERM, KILL after a grace period) and its supervision. Its data stays.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_supervision is not null)
        {
            await _supervision.ConfigureAwait(false);
        }

        if (_process is { } process)
        {
            await TerminateAsync(process, cancellationToken).ConfigureAwait(false);
            process.Dispose();
            _process = null;
            File.Delete(Options.PidFile);
            EtcdLog.Stopped(logger, Options.Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>
    /// Ends the supervision and leaves the process running with its pid file, as a berthd killed with -9 leaves its member
    /// (for tests: a supervisor left alive would restart the process the next berthd replaces, for as long as it lives).
    /// </summary>
    internal async Task AbandonAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_supervision is not null)
        {
            await _supervision.ConfigureAwait(false);
        }

        _process?.Dispose();
        _process = null;
    }

    private async Task<Process> LaunchAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Options.DataDirectory)!);
        var clock = Stopwatch.StartNew();
        // The shell only opens the log and stdin, then becomes etcd (exec keeps the pid).
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (string arg in (string[])["-c", "exec \"$0\" \"$@\" </dev/null >>\"$BERTH_ETCD_LOG\" 2>&1", Options.Binary, .. EtcdArguments.For(Options)])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["BERTH_ETCD_LOG"] = Options.LogFile;
        start.Environment["GOGC"] = GoGcPercent;
        var process = Process.Start(start) ?? throw new BerthException(ErrorKind.Internal, $"cannot start {Options.Binary}");
        await File.WriteAllTextAsync(Options.PidFile, process.Id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        try
        {
            await WaitServingAsync(process, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await TerminateAsync(process, CancellationToken.None).ConfigureAwait(false);
            process.Dispose();
            File.Delete(Options.PidFile);
            throw;
        }

        EtcdLog.Started(logger, Options.Name, process.Id, clock.ElapsedMilliseconds, Options.ClientUrl);
        return process;
    }

    private async Task WaitServingAsync(Process process, CancellationToken cancellationToken)
    {
        using var health = new EtcdHealthClient(Options.Tls);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.ReadyTimeout);
        try
        {
            while (!await health.ServesAsync(Options.ClientUrl, deadline.Token).ConfigureAwait(false))
            {
                if (process.HasExited)
                {
                    throw new BerthException(ErrorKind.Unavailable,
                        $"etcd member {Options.Name} exited with {process.ExitCode} while starting: {LogTail()} (whole log: {Options.LogFile})");
                }

                await Task.Delay(ReadyPoll, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BerthException(ErrorKind.Unavailable,
                $"etcd member {Options.Name} did not serve {Options.ClientUrl} within {Options.ReadyTimeout.TotalSeconds:0} s: {LogTail()} (whole log: {Options.LogFile})");
        }
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var delay = FirstRestartDelay;
        try
        {
            while (true)
            {
                // Only this loop replaces the process; StopAsync reads it after the loop has ended.
                if (_process is { } process)
                {
                    await process.WaitForExitAsync(stopping).ConfigureAwait(false);
                    EtcdLog.Exited(logger, Options.Name, process.Id, process.ExitCode, delay, Options.LogFile);
                    _process = null;
                    process.Dispose();
                }

                await Task.Delay(delay, stopping).ConfigureAwait(false);
                try
                {
                    _process = await LaunchAsync(stopping).ConfigureAwait(false);
                    delay = FirstRestartDelay;
                }
                catch (BerthException e)
                {
                    EtcdLog.RestartFailed(logger, Options.Name, e);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRestartDelay.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped: StopAsync terminates what runs now.
        }
    }

    private string LogTail()
    {
        if (!File.Exists(Options.LogFile))
        {
            return "no log";
        }

        return string.Join(" | ", File.ReadLines(Options.LogFile).TakeLast(LogTailLines));
    }
}
