using System.Runtime.ExceptionServices;

namespace Berth.Linux.Namespaces;

/// <summary>A <see cref="NamespaceJob"/> producing a <typeparamref name="T"/>.</summary>
internal sealed class NamespaceJob<T> : NamespaceJob
{
    private readonly NetnsHandle? target;
    private readonly Func<T> work;

    // RunContinuationsAsynchronously: a continuation must never run inline on the worker thread,
    // which may be inside a foreign netns (kernel-notes §2, experiment 3).
    private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration cancellation;
    private T? result;
    private ExceptionDispatchInfo? failure;

    internal NamespaceJob(NetnsHandle? target, Func<T> work)
    {
        this.target = target;
        this.work = work;
    }

    internal Task<T> Task => completion.Task;

    internal override NetnsHandle? Target => target;

    internal void RegisterCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            cancellation = cancellationToken.Register(
                static (state, token) =>
                {
                    var job = (NamespaceJob<T>)state!;
                    if (job.TryCancel())
                    {
                        job.completion.TrySetCanceled(token);
                    }
                },
                this);
        }
    }

    internal override void Execute()
    {
        try
        {
            result = work();
        }
        catch (Exception exception)
        {
            failure = ExceptionDispatchInfo.Capture(exception);
        }
    }

    internal override void RecordFailure(Exception exception)
    {
        if (failure is null && result is IDisposable disposable)
        {
            // The result (e.g. a socket opened inside) will never reach the caller; don't leak it.
            disposable.Dispose();
        }

        result = default;
        failure = ExceptionDispatchInfo.Capture(exception);
    }

    internal override void Publish()
    {
        cancellation.Unregister();
        if (failure is not null)
        {
            completion.TrySetException(failure.SourceException);
        }
        else
        {
            completion.TrySetResult(result!);
        }
    }
}
