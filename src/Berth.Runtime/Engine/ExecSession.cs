using Berth.Core.Errors;
using Berth.Runtime.Containers;

namespace Berth.Runtime.Engine;

/// <summary>One exec: its state (replaced whole) and, while it runs, its process.</summary>
internal sealed class ExecSession(ExecState state)
{
    private static long _sequence;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<ExecProcess> _process = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<int>? _completion;

    public long Sequence { get; } = Interlocked.Increment(ref _sequence);

    public ExecState State { get; private set; } = state;

    public Task<ExecProcess> Process => _process.Task;

    public ExecState Snapshot()
    {
        lock (_gate)
        {
            return State.Status == ExecStatus.Running && _process.Task.IsCompletedSuccessfully
                ? State with { Pid = _process.Task.Result.Pid }
                : State;
        }
    }

    /// <summary>Moves Created to Running; an exec runs once.</summary>
    public void Claim()
    {
        lock (_gate)
        {
            if (State.Status != ExecStatus.Created)
            {
                throw new BerthException(ErrorKind.Conflict, State.Status == ExecStatus.Running
                    ? $"Error: Exec command {State.Id} is already running"
                    : $"Error: Exec command {State.Id} has already run");
            }

            State = State with { Status = ExecStatus.Running };
        }
    }

    public void Started(ExecProcess process, Task<int> completion)
    {
        lock (_gate)
        {
            _completion = completion;
        }

        _process.TrySetResult(process);
    }

    public void Finish(int exitCode)
    {
        lock (_gate)
        {
            State = State with { Status = ExecStatus.Exited, ExitCode = exitCode, Pid = 0 };
        }
    }

    public async Task KillAsync()
    {
        Task<int>? completion;
        lock (_gate)
        {
            completion = _completion;
        }

        if (completion is null || completion.IsCompleted)
        {
            return;
        }

        (await _process.Task.ConfigureAwait(false)).Kill();
        await completion.ConfigureAwait(false);
    }
}
