using System.Runtime.InteropServices;

namespace Berth.Linux.Interop;

/// <summary>
/// Blocks a reader on a non-blocking descriptor until it is readable, and lets another thread wake it:
/// poll(2) on the descriptor and an eventfd that <see cref="Close"/> and cancellation write to. The eventfd
/// only says "look again"; the closed flag and the token are what a woken reader checks, so a stale wake
/// (a token cancelled during an earlier wait) costs one spurious loop, never a wrong answer.
/// Waiting allocates nothing: the cancellation callback is a cached static delegate with this object as
/// its state, and the token source reuses its registration nodes.
/// </summary>
internal sealed unsafe class ReadinessWaiter
{
    private const ulong WakeIncrement = 1;
    private const int Forever = -1;

    private static readonly Action<object?> WakeCallback = static state => ((ReadinessWaiter)state!).Wake();

    private readonly FileDescriptorHandle _eventFd;

    // 1 once closed: set before the wake that announces it, read after every wake-up, so a reader cannot miss it.
    private int _closed;

    public ReadinessWaiter()
    {
        int fd = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (fd < 0)
        {
            throw KernelException.FromLastError("cannot create an eventfd to wake blocked readers");
        }

        _eventFd = new FileDescriptorHandle(fd);
    }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>
    /// Returns when <paramref name="descriptor"/> is readable or reports an error or hang-up (the caller's
    /// next read says which). Throws <see cref="OperationCanceledException"/> when the token is cancelled and
    /// <see cref="ObjectDisposedException"/> naming <paramref name="owner"/> when the waiter is closed.
    /// </summary>
    public void WaitReadable(SafeHandle descriptor, object owner, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(IsClosed, owner);
        cancellationToken.ThrowIfCancellationRequested();
        using CancellationTokenRegistration registration = cancellationToken.UnsafeRegister(WakeCallback, this);
        bool descriptorAdded = false;
        bool eventAdded = false;
        try
        {
            // The raw numbers travel in the pollfd array: the references keep them from being closed
            // (and reused) while poll sleeps on them; Close only drops its own reference.
            descriptor.DangerousAddRef(ref descriptorAdded);
            _eventFd.DangerousAddRef(ref eventAdded);
            PollDescriptor* descriptors = stackalloc PollDescriptor[2];
            descriptors[0] = new PollDescriptor { Fd = (int)descriptor.DangerousGetHandle(), Events = Libc.POLLIN };
            descriptors[1] = new PollDescriptor { Fd = (int)_eventFd.DangerousGetHandle(), Events = Libc.POLLIN };
            while (true)
            {
                ObjectDisposedException.ThrowIf(IsClosed, owner);
                cancellationToken.ThrowIfCancellationRequested();
                descriptors[0].ReturnedEvents = 0;
                descriptors[1].ReturnedEvents = 0;
                if (Libc.Poll(descriptors, 2, Forever) < 0)
                {
                    Errno errno = Libc.LastErrno();
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }

                    throw new KernelException(errno, $"waiting for {owner} to become readable (poll)");
                }

                if (descriptors[1].ReturnedEvents != 0)
                {
                    Drain();
                    continue;
                }

                if (descriptors[0].ReturnedEvents != 0)
                {
                    return;
                }
            }
        }
        finally
        {
            if (eventAdded)
            {
                _eventFd.DangerousRelease();
            }

            if (descriptorAdded)
            {
                descriptor.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// What a reader does after a failed non-blocking read: EAGAIN waits until the descriptor is readable
    /// (see <see cref="WaitReadable"/>), EINTR retries at once; both return true (read again). Any other
    /// error returns false: the caller's to report.
    /// </summary>
    public bool RetryAfter(Errno errno, SafeHandle descriptor, object owner, CancellationToken cancellationToken)
    {
        if (errno == Errno.EAGAIN)
        {
            WaitReadable(descriptor, owner, cancellationToken);
        }

        return errno is Errno.EAGAIN or Errno.EINTR;
    }

    /// <summary>Wakes every waiting reader so it re-checks the closed flag and its token.</summary>
    public void Wake()
    {
        bool added = false;
        try
        {
            _eventFd.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return; // closed: nobody is left to wake
        }

        try
        {
            ulong value = WakeIncrement;

            // EAGAIN means the counter is near overflow, so it is readable already: the wake is not lost.
            _ = Libc.Write(_eventFd, (byte*)&value, sizeof(ulong));
        }
        finally
        {
            _eventFd.DangerousRelease();
        }
    }

    /// <summary>
    /// Marks the waiter closed, wakes the readers, and drops the eventfd and <paramref name="descriptor"/>:
    /// each is closed when the last call using it leaves. False when it was closed already.
    /// </summary>
    public bool Close(SafeHandle descriptor)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return false;
        }

        Wake();
        _eventFd.Dispose();
        descriptor.Dispose();
        return true;
    }

    private void Drain()
    {
        ulong value;

        // Non-blocking: EAGAIN (another reader drained it first) is as good as a read.
        _ = Libc.Read(_eventFd, (byte*)&value, sizeof(ulong));
    }
}
