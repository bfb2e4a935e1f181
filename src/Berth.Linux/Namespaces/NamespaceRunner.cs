using Berth.Core.Errors;

namespace Berth.Linux.Namespaces;

/// <summary>
/// Runs synchronous work inside a network namespace on a dedicated OS thread (never a thread-pool
/// thread). Per job the worker does setns(target), runs the work, setns(original) with the result
/// checked, and only then completes the caller's task. If the worker cannot get back, it retires
/// (exits and never serves again) and the next call starts a fresh worker. See README.md.
/// </summary>
/// <remarks>
/// The work must be synchronous: no await, no Task.Run, timers, threads or child processes. Anything
/// the runtime starts lazily from the worker while it is inside stays in that namespace for good.
/// </remarks>
public sealed partial class NamespaceRunner : IDisposable
{
    private static readonly Lazy<NamespaceRunner> SharedRunner = new(() => new NamespaceRunner("shared"));

    // Set on a worker thread to the runner that owns it: a job that calls back into its own runner
    // would wait for itself forever.
    [ThreadStatic]
    private static NamespaceRunner? ownerOfCurrentThread;

    private readonly object gate = new();
    private readonly Queue<NamespaceJob> queue = new();
    private readonly string name;
    private readonly ulong hostInode;
    private Thread? worker;
    private int workersStarted;
    private bool disposed;

    /// <summary>Creates a runner. Its "host" namespace is that of the process's main thread.</summary>
    public NamespaceRunner(string name = "runner")
    {
        this.name = name;

        // /proc/self/ns/net is the thread-group leader's netns: the one every worker must start in.
        using NetnsHandle host = NetnsHandle.Open(HostNamespacePath);
        hostInode = host.Inode;
    }

    /// <summary>A process-wide runner; never disposed.</summary>
    public static NamespaceRunner Shared => SharedRunner.Value;

    /// <summary>How many worker threads this runner has started (a retired worker is replaced lazily).</summary>
    public int WorkersStarted => Volatile.Read(ref workersStarted);

    /// <summary>The main thread's netns; what "the host" means for this process.</summary>
    internal const string HostNamespacePath = "/proc/self/ns/net";

    /// <summary>Runs <paramref name="work"/> inside <paramref name="target"/> and blocks until it is done.</summary>
    public T Run<T>(NetnsHandle target, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Submit(new NamespaceJob<T>(target, work)).GetAwaiter().GetResult();
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside <paramref name="target"/>. Continuations never run on the
    /// worker. Cancelling only withdraws a job that has not started yet.
    /// </summary>
    public Task<T> RunAsync<T>(NetnsHandle target, Func<T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var job = new NamespaceJob<T>(target, work);
        job.RegisterCancellation(cancellationToken);
        return Submit(job);
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside a brand-new network namespace (unshare(CLONE_NEWNET) on the
    /// worker) and blocks until it is done. The namespace lives on only if the work kept something of it:
    /// an fd of <c>/proc/thread-self/ns/net</c>, a socket, a bind mount.
    /// </summary>
    public T RunInNewNamespace<T>(Func<T> work) =>
        Submit(new NamespaceJob<T>(null, work)).GetAwaiter().GetResult();

    public void Dispose()
    {
        Thread? toJoin;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            toJoin = worker;
            worker = null;
            FailQueuedJobs(new ObjectDisposedException(nameof(NamespaceRunner), $"namespace runner \"{name}\" was disposed before this job ran"));
            Monitor.PulseAll(gate);
        }

        if (toJoin is not null && toJoin != Thread.CurrentThread)
        {
            toJoin.Join();
        }
    }

    private Task<T> Submit<T>(NamespaceJob<T> job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (ownerOfCurrentThread == this)
        {
            throw new InvalidOperationException($"namespace runner \"{name}\": work running on the runner's worker called the same runner; do the nested work inline or use another runner");
        }

        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            queue.Enqueue(job);
            if (worker is null)
            {
                worker = StartWorker();
            }
            else
            {
                Monitor.Pulse(gate);
            }
        }

        return job.Task;
    }

    /// <summary>
    /// The only place a worker thread is created, always from a caller's thread and never from a worker:
    /// a new thread inherits its creator's netns, so the creator must be in the host netns. Checked here
    /// and again by the worker itself before it serves anything.
    /// </summary>
    private Thread StartWorker()
    {
        using (NetnsHandle creator = NetnsHandle.OpenCurrentThread())
        {
            if (creator.Inode != hostInode)
            {
                queue.Clear();
                throw new BerthException(
                    ErrorKind.Internal,
                    $"namespace runner \"{name}\": refusing to start a worker from thread {Environment.CurrentManagedThreadId}, which is in a foreign network namespace (inode {creator.Inode}, host {hostInode}); a thread inherits its creator's namespace. Call the runner from a host thread.");
            }
        }

        HostRuntimeThreads.EnsureStarted();
        int number = Interlocked.Increment(ref workersStarted);
        var thread = new Thread(WorkerLoop)
        {
            IsBackground = true,
            Name = $"berth-netns-{name}-{number}",
        };
        thread.Start();
        return thread;
    }

    private void FailQueuedJobs(Exception exception)
    {
        while (queue.TryDequeue(out NamespaceJob? job))
        {
            if (job.TryStart())
            {
                job.RecordFailure(exception);
                job.Publish();
            }
        }
    }
}
