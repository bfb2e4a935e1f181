using Berth.Core.Concurrency;
using Berth.Core.Containers;

namespace Berth.Runtime.Engine;

/// <summary>
/// The per-container coordination the engine's services share, and nothing else: the lock that serialises work on
/// one container (start, the record of an exit, remove, restart, connect, disconnect, rename, a stop's cancellation
/// of the restart policy), its next exit and its removal (what <c>wait</c> and <c>stop</c> wait for). Different
/// containers never wait for each other. Lock order: a container's lock before the volumes' catalog
/// (<see cref="ContainerVolumes"/>), never the reverse; never two containers' locks.
/// </summary>
public sealed class ContainerSlots
{
    private readonly KeyedLock<ContainerId> _locks = new();
    private readonly Dictionary<ContainerId, TaskCompletionSource<int>> _exits = [];
    private readonly Dictionary<ContainerId, TaskCompletionSource> _removals = [];

    /// <summary>Containers whose lock is held or waited for (tests, diagnostics).</summary>
    public int Locked => _locks.Count;

    /// <summary>Waits for the container's lock; dispose the result to release it. Read the record again under it: it may have gone.</summary>
    public Task<KeyedLock<ContainerId>.Releaser> LockAsync(ContainerId id, CancellationToken cancellationToken = default) =>
        _locks.LockAsync(id, cancellationToken);

    /// <summary>The container's next exit: completed by <see cref="CompleteExit"/>, replaced once it has completed.</summary>
    public Task<int> NextExit(ContainerId id)
    {
        lock (_exits)
        {
            if (!_exits.TryGetValue(id, out var exit) || exit.Task.IsCompleted)
            {
                exit = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                _exits[id] = exit;
            }

            return exit.Task;
        }
    }

    public void CompleteExit(ContainerId id, int code)
    {
        lock (_exits)
        {
            if (_exits.TryGetValue(id, out var exit))
            {
                exit.TrySetResult(code);
            }
        }
    }

    /// <summary>Completes when the container is removed.</summary>
    public Task Removal(ContainerId id) => RemovalOf(id).Task;

    /// <summary>The container is gone: its waiters for an exit and for the removal are answered.</summary>
    public void CompleteRemoval(ContainerId id, int exitCode)
    {
        CompleteExit(id, exitCode);
        RemovalOf(id).TrySetResult();
    }

    private TaskCompletionSource RemovalOf(ContainerId id)
    {
        lock (_removals)
        {
            if (!_removals.TryGetValue(id, out var removal))
            {
                removal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _removals[id] = removal;
            }

            return removal;
        }
    }
}
