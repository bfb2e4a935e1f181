using System.Security.Cryptography;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>
/// docker exec: processes run in a running container by <c>runc exec</c> (<see cref="ExecProcess"/>), as
/// berthd's children. An exec is made, started once, and inspected until its container is removed. Its
/// process dies with the container (the kernel kills a pid namespace's processes with its init) and is
/// killed when berthd stops.
/// </summary>
public sealed partial class ExecSessions(ContainerRecords records, ContainerProcesses processes, ContainerEvents events, ILogger logger) : IExecSessions, IAsyncDisposable
{
    /// <summary>Finished execs kept for inspection per container; older ones are forgotten first.</summary>
    private const int MaxFinishedExecsPerContainer = 64;

    /// <summary>How long a resize waits for its exec to start (moby waits as long).</summary>
    private static readonly TimeSpan ResizeWaitForStart = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, ExecSession> _execSessions = [];

    public ExecState CreateExec(string idOrName, ExecCreateSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Cmd.IsDefaultOrEmpty)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "No exec command specified");
        }

        if (spec.Privileged)
        {
            throw new BerthException(ErrorKind.NotSupported, "privileged exec is not supported by Berth yet; run docker exec without --privileged");
        }

        var record = records.Find(idOrName);
        if (record.Status != ContainerStatus.Running)
        {
            throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        }

        if (record.Paused)
        {
            throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is paused, unpause the container before exec");
        }

        var session = new ExecSession(new ExecState { Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), ContainerId = record.Id, Spec = spec });
        lock (_execSessions)
        {
            _execSessions[session.State.Id] = session;
            var finished = _execSessions.Values
                .Where(s => s.State.ContainerId == record.Id && s.State.Status == ExecStatus.Exited)
                .OrderBy(s => s.Sequence)
                .ToList();
            foreach (var old in finished.Take(Math.Max(0, finished.Count - MaxFinishedExecsPerContainer)))
            {
                _execSessions.Remove(old.State.Id);
            }
        }

        events.Exec(record, "exec_create: " + string.Join(' ', spec.Cmd), session.State.Id);
        return session.State;
    }

    public ExecState InspectExec(string execId) => SessionOf(execId).Snapshot();

    /// <summary>
    /// Starts the exec's process; its output goes to <paramref name="output"/> (null: discarded, a detached
    /// exec). A client that stops reading does not stop the process: the rest of its output is discarded.
    /// </summary>
    public async Task<ExecRun> StartExecAsync(string execId, Func<LogStream, ReadOnlyMemory<byte>, ValueTask>? output, CancellationToken cancellationToken = default)
    {
        var session = SessionOf(execId);
        session.Claim();
        ExecProcess process;
        try
        {
            var record = records.Get(session.State.ContainerId);
            if (record.Status != ContainerStatus.Running)
            {
                throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is not running");
            }

            if (record.Paused)
            {
                throw new BerthException(ErrorKind.Conflict, $"Container {record.Id} is paused, unpause the container before exec");
            }

            var spec = session.State.Spec;
            process = await processes.StartAsync(record, execId, new ExecSpec
            {
                Args = spec.Cmd,
                Env = spec.Env,
                User = spec.User,
                WorkingDir = spec.WorkingDir,
                Tty = spec.Tty,
                ConsoleSize = spec.ConsoleSize is { } size ? new Containers.Oci.OciBox(size.Rows, size.Columns) : null,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // moby records a failed start as exit code 126: the exec has run, and cannot be started again.
            session.Finish(ExecStartFailure.CannotInvoke);
            ExecStartFailed(logger, execId, e.Message);
            throw;
        }

        var owner = records.TryGet(session.State.ContainerId);
        if (owner is not null)
        {
            events.Exec(owner, "exec_start: " + string.Join(' ', session.State.Spec.Cmd), execId);
        }

        var completion = RunExecAsync(session, process, output);
        session.Started(process, completion);
        return new ExecRun(process, completion);
    }

    /// <summary>Sets the size of the exec's terminal, waiting a while for a start still on its way (the CLI resizes while it starts).</summary>
    public async Task ResizeExecAsync(string execId, ushort rows, ushort columns, CancellationToken cancellationToken = default)
    {
        var session = SessionOf(execId);
        if (session.State.Status == ExecStatus.Exited)
        {
            return;
        }

        try
        {
            var process = await session.Process.WaitAsync(ResizeWaitForStart, cancellationToken).ConfigureAwait(false);
            process.Resize(rows, columns);
        }
        catch (TimeoutException)
        {
            throw new BerthException(ErrorKind.Conflict, $"exec {execId} has not started; start it before resizing its terminal");
        }
    }

    private async Task<int> RunExecAsync(ExecSession session, ExecProcess process, Func<LogStream, ReadOnlyMemory<byte>, ValueTask>? output)
    {
        bool clientGone = output is null;
        try
        {
            if (output is null)
            {
                process.CloseStdin();
            }

            await process.PumpOutputAsync(async (stream, bytes) =>
            {
                if (clientGone)
                {
                    return;
                }

                try
                {
                    await output!(stream, bytes).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
                {
                    clientGone = true;
                }
            }).ConfigureAwait(false);
            var exit = await process.Exited.ConfigureAwait(false);
            if (exit.StartError is { } error)
            {
                ExecStartFailed(logger, session.State.Id, error);
            }

            session.Finish(exit.ExitCode);
            if (records.TryGet(session.State.ContainerId) is { } owner)
            {
                events.Exec(owner, "exec_die", session.State.Id, ("exitCode", exit.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            return exit.ExitCode;
        }
        finally
        {
            await process.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ExecSession SessionOf(string execId)
    {
        lock (_execSessions)
        {
            return _execSessions.GetValueOrDefault(execId)
                ?? throw new BerthException(ErrorKind.NotFound, $"No such exec instance: {execId}");
        }
    }

    /// <summary>Forgets a removed container's execs.</summary>
    public void Forget(ContainerId containerId)
    {
        lock (_execSessions)
        {
            foreach (var id in _execSessions.Where(s => s.Value.State.ContainerId == containerId).Select(s => s.Key).ToList())
            {
                _execSessions.Remove(id);
            }
        }
    }

    /// <summary>berthd is stopping: every exec still running is killed and its end recorded.</summary>
    public async ValueTask DisposeAsync()
    {
        ExecSession[] sessions;
        lock (_execSessions)
        {
            sessions = [.. _execSessions.Values];
        }

        await Task.WhenAll(sessions.Select(s => s.KillAsync())).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 5310, Level = LogLevel.Warning, Message = "exec {ExecId} could not start: {Message}")]
    private static partial void ExecStartFailed(ILogger logger, string execId, string message);
}
