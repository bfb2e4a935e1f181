using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Linux.Namespaces;

public sealed partial class NamespaceRunner
{
    private void WorkerLoop()
    {
        ownerOfCurrentThread = this;

        // The worker captures its own original namespace: whatever it is, that is where it must return.
        NetnsHandle original;
        try
        {
            original = NetnsHandle.OpenCurrentThread();
            if (original.Inode != hostInode)
            {
                original.Dispose();
                throw new BerthException(ErrorKind.Internal, $"namespace runner \"{name}\": worker thread started outside the host network namespace; it will not serve");
            }
        }
        catch (Exception exception)
        {
            Retire(exception);
            return;
        }

        using (original)
        {
            while (true)
            {
                NamespaceJob? job;
                lock (gate)
                {
                    while (!queue.TryDequeue(out job))
                    {
                        if (disposed || worker != Thread.CurrentThread)
                        {
                            return;
                        }

                        Monitor.Wait(gate);
                    }
                }

                if (!job.TryStart())
                {
                    continue; // cancelled while queued
                }

                if (!RunJob(job, original))
                {
                    return; // poisoned: RunJob retired this thread
                }
            }
        }
    }

    /// <summary>Runs one job; false when the thread could not return to its namespace and retired.</summary>
    private bool RunJob(NamespaceJob job, NetnsHandle original)
    {
        NetnsHandle? target = job.Target;
        bool entered = target is null
            ? Libc.Unshare(Libc.CLONE_NEWNET) == 0
            : Libc.Setns(target, Libc.CLONE_NEWNET) == 0;
        if (!entered)
        {
            // A failed setns/unshare leaves the thread where it was.
            Errno errno = Libc.LastErrno();
            job.RecordFailure(target is null
                ? new KernelException(errno, "creating a new network namespace (unshare CLONE_NEWNET); Berth needs CAP_SYS_ADMIN")
                : new KernelException(errno, $"entering network namespace {target.Path}; check that it still exists"));
            job.Publish();
            return true;
        }

        job.Execute();

        if (Libc.Setns(original, Libc.CLONE_NEWNET) != 0)
        {
            Errno errno = Libc.LastErrno();
            var exception = new KernelException(
                errno,
                $"namespace runner \"{name}\": could not return worker thread to network namespace {original.Path} after running a job; the thread was retired and the job's result discarded",
                kind: ErrorKind.Internal);
            job.RecordFailure(exception);
            Retire(exception, job);
            return false;
        }

        job.Publish();
        return true;
    }

    /// <summary>
    /// Takes this thread out of service for good. It may be inside a foreign namespace, so it starts
    /// nothing: the next caller creates a fresh worker from its own (host) thread. Queued jobs fail with
    /// Unavailable rather than wait for a caller that may never come. Publishing from this thread is the
    /// one exception to "complete only after restoring": continuations are asynchronous, so no caller
    /// code runs here.
    /// </summary>
    private void Retire(Exception exception, NamespaceJob? current = null)
    {
        lock (gate)
        {
            if (worker == Thread.CurrentThread)
            {
                worker = null;
            }

            FailQueuedJobs(new BerthException(ErrorKind.Unavailable, $"namespace runner \"{name}\": its worker thread was retired before running this job ({exception.Message}); retry", exception));
        }

        current?.Publish();
    }
}
