using System.Collections.Concurrent;
using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Containers.Oci;

namespace Berth.Runtime.Tests.Engine.Fakes;

/// <summary>
/// An OCI runtime with no runc, no conmon and no kernel: a created container "runs" until it is killed, stopped or
/// deleted. It counts creates and how many were in flight at once; <see cref="OnCreate"/> lets a test hold creates.
/// </summary>
internal sealed class FakeContainerRuntime : IContainerRuntime
{
    private const int KilledExitCode = 137;
    private const int TerminatedExitCode = 143;

    private readonly ConcurrentDictionary<string, TaskCompletionSource<int>> _containers = new(StringComparer.Ordinal);
    private int _creates;
    private int _inCreate;
    private int _maxInCreate;

    /// <summary>Runs inside every create, before the container exists (a test's barrier or gate).</summary>
    public Func<string, CancellationToken, Task> OnCreate { get; set; } = (_, _) => Task.CompletedTask;

    /// <summary>Creates begun, in all.</summary>
    public int Creates => Volatile.Read(ref _creates);

    /// <summary>The most creates that were in flight at one time.</summary>
    public int MaxConcurrentCreates => Volatile.Read(ref _maxInCreate);

    public long? LogSizeMax => null;

    public bool Exists(string id) => _containers.ContainsKey(id);

    public Task<ContainerState> StateAsync(string id, CancellationToken cancellationToken = default) =>
        _containers.TryGetValue(id, out var exit)
            ? Task.FromResult(new ContainerState(id, exit.Task.IsCompleted ? ContainerStatus.Stopped : ContainerStatus.Running, exit.Task.IsCompleted ? 0 : 2000, ""))
            : throw new BerthException(ErrorKind.NotFound, $"no such container: {id}");

    public async Task<ConmonResult> CreateAsync(ContainerSpec spec, string bundleDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int number = Interlocked.Increment(ref _creates);
        int inFlight = Interlocked.Increment(ref _inCreate);
        int max;
        while (inFlight > (max = Volatile.Read(ref _maxInCreate)) && Interlocked.CompareExchange(ref _maxInCreate, inFlight, max) != max)
        {
            // Another create raised the maximum meanwhile: compare again.
        }

        try
        {
            await OnCreate(spec.Id, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inCreate);
        }

        if (!_containers.TryAdd(spec.Id, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)))
        {
            throw new BerthException(ErrorKind.Conflict, $"container {spec.Id} already exists in the fake runtime; delete it first");
        }

        return new ConmonResult(ConmonPid: 1000 + number, ContainerPid: 2000 + number);
    }

    public Task StartAsync(string id, CancellationToken cancellationToken = default) =>
        Exists(id) ? Task.CompletedTask : throw NotFound(id);

    public Task KillAsync(string id, string signal, CancellationToken cancellationToken = default)
    {
        Exit(id, KilledExitCode);
        return Task.CompletedTask;
    }

    /// <summary>Containers frozen by <see cref="PauseAsync"/> and not yet resumed.</summary>
    public ConcurrentDictionary<string, bool> Paused { get; } = new(StringComparer.Ordinal);

    /// <summary>Every live update: the container and the limits it was given.</summary>
    public ConcurrentQueue<(string Id, ContainerResources Resources)> Updates { get; } = new();

    public Task PauseAsync(string id, CancellationToken cancellationToken = default)
    {
        Paused[Exists(id) ? id : throw NotFound(id)] = true;
        return Task.CompletedTask;
    }

    public Task ResumeAsync(string id, CancellationToken cancellationToken = default)
    {
        Paused.TryRemove(Exists(id) ? id : throw NotFound(id), out _);
        return Task.CompletedTask;
    }

    public Task UpdateResourcesAsync(string id, ContainerResources resources, CancellationToken cancellationToken = default)
    {
        Updates.Enqueue((Exists(id) ? id : throw NotFound(id), resources));
        return Task.CompletedTask;
    }

    public Task<int> StopAsync(string id, TimeSpan timeout, string signal, CancellationToken cancellationToken = default)
    {
        Exit(id, TerminatedExitCode);
        return Task.FromResult(TerminatedExitCode);
    }

    public async Task<int> WaitAsync(string id, CancellationToken cancellationToken = default) =>
        await (_containers.TryGetValue(id, out var exit) ? exit.Task : throw NotFound(id)).WaitAsync(cancellationToken);

    public Task CleanUpAsync(string id, string bundleDirectory, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task DeleteAsync(string id, bool force, CancellationToken cancellationToken = default)
    {
        if (_containers.TryRemove(id, out var exit))
        {
            exit.TrySetResult(KilledExitCode);
        }

        return Task.CompletedTask;
    }

    public Task<IContainerStdin> ConnectStdinAsync(string id, CancellationToken cancellationToken = default) => throw Unsupported("attach");

    public Task ResizeAsync(string id, uint height, uint width, CancellationToken cancellationToken = default) => throw Unsupported("resize");

    public Task<ExecProcess> ExecAsync(string id, ExecPaths paths, OciProcess process, CancellationToken cancellationToken = default) => throw Unsupported("exec");

    /// <summary>The container's process exits by itself with <paramref name="code"/>.</summary>
    public void Exit(string id, int code)
    {
        if (!_containers.TryGetValue(id, out var exit))
        {
            throw NotFound(id);
        }

        exit.TrySetResult(code);
    }

    private static BerthException NotFound(string id) => new(ErrorKind.NotFound, $"no such container in the fake runtime: {id}");

    private static BerthException Unsupported(string what) => new(ErrorKind.NotSupported, $"the fake runtime has no {what}");
}
