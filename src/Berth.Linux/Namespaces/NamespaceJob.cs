namespace Berth.Linux.Namespaces;

/// <summary>
/// One unit of work for a <see cref="NamespaceRunner"/> worker. The worker enters the namespace, calls
/// <see cref="Execute"/> (which captures the outcome and never throws), restores its own namespace and
/// only then calls <see cref="Publish"/>, so no continuation can ever observe the foreign namespace.
/// </summary>
internal abstract class NamespaceJob
{
    private const int Queued = 0;
    private const int Running = 1;
    private const int Cancelled = 2;

    private int state;

    /// <summary>The namespace to enter, or null for "a new namespace made by unshare(CLONE_NEWNET)".</summary>
    internal abstract NetnsHandle? Target { get; }

    /// <summary>Claims the job for execution; false when it was cancelled while queued.</summary>
    internal bool TryStart() => Interlocked.CompareExchange(ref state, Running, Queued) == Queued;

    /// <summary>Claims the job for cancellation; false once a worker started it.</summary>
    protected bool TryCancel() => Interlocked.CompareExchange(ref state, Cancelled, Queued) == Queued;

    /// <summary>Runs the work on the worker while it is inside the namespace; records result or exception.</summary>
    internal abstract void Execute();

    /// <summary>Replaces whatever outcome was recorded with a failure (entering or restoring failed).</summary>
    internal abstract void RecordFailure(Exception exception);

    /// <summary>Completes the caller's task. Called only after the worker is back in its own namespace.</summary>
    internal abstract void Publish();
}
