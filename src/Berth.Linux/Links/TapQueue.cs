using Berth.Core.Errors;
using Berth.Linux.Interop;

namespace Berth.Linux.Links;

/// <summary>
/// A non-persistent tap device and the one descriptor that carries its frames, each preceded by a
/// 10-byte <c>struct virtio_net_hdr</c> (IFF_VNET_HDR). The device exists exactly as long as the descriptor:
/// disposing the queue, or the process dying, deletes it, so whatever is bridged to it loses its way out
/// (the encrypted overlay's fail-closed guarantee). Reads block on poll(2) and wake on
/// <see cref="Dispose"/> or cancellation. One reader thread and one writer thread at a time; steady-state
/// reads and writes allocate nothing. A multi-queue device (<see cref="OpenQueues"/>) has one such queue per descriptor.
/// </summary>
public sealed unsafe class TapQueue : IDisposable
{
    /// <summary><c>sizeof(struct virtio_net_hdr)</c> (linux/virtio_net.h): flags, gso_type, hdr_len, gso_size, csum_start, csum_offset.</summary>
    public const int VnetHeaderBytes = 10;

    /// <summary>
    /// The longest frame a read can return: the header, an Ethernet header with a VLAN tag (18) and a
    /// GSO super-packet of up to 64 KiB (GSO_LEGACY_MAX_SIZE, linux/netdevice.h). Smaller buffers get frames cut.
    /// </summary>
    public const int MaxFrameBytes = VnetHeaderBytes + 18 + 65536;

    // linux/if_tun.h
    private const nuint TunSetOffload = 0x400454d0; // _IOW('T', 208, unsigned int)
    private const nuint TunSetVnetHdrSz = 0x400454d8; // _IOW('T', 216, int)

    private const TapOffloads SegmentationOffloads = TapOffloads.Tso4 | TapOffloads.Tso6 | TapOffloads.TsoEcn;

    private readonly FileDescriptorHandle _handle;
    private readonly ReadinessWaiter _waiter;
    private long _writeDrops;

    private TapQueue(FileDescriptorHandle handle, string name, int index)
    {
        _handle = handle;
        Name = name;
        Index = index;
        _waiter = new ReadinessWaiter();
    }

    public string Name { get; }

    /// <summary>The link's ifindex in the namespace it was created in.</summary>
    public int Index { get; }

    /// <summary>Frames <see cref="Write"/> dropped because the device's queue was full (EAGAIN).</summary>
    public long WriteDrops => Interlocked.Read(ref _writeDrops);

    /// <summary>
    /// Creates tap <paramref name="name"/> (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, not persistent) in the
    /// calling thread's network namespace, with <paramref name="offloads"/>. Conflict when a link of that
    /// name exists; InvalidArgument for TSO without <see cref="TapOffloads.Checksum"/>.
    /// </summary>
    public static TapQueue Open(string name, TapOffloads offloads)
    {
        CheckOffloads(name, offloads);
        return Attach(name, offloads, TunTap.IffTap | TunTap.IffNoPi | TunTap.IffVnetHdr, another: false);
    }

    /// <summary>
    /// Creates tap <paramref name="name"/> as <see cref="Open"/> does, with <paramref name="count"/> queues
    /// (IFF_MULTI_QUEUE): one descriptor each, every flow's frames read from one of them (the kernel hashes flows
    /// over the queues), so a reader thread per queue moves different flows in parallel. The device lives until its
    /// last queue is disposed. On failure nothing is left.
    /// </summary>
    public static TapQueue[] OpenQueues(string name, TapOffloads offloads, int count)
    {
        CheckOffloads(name, offloads);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        const short flags = TunTap.IffTap | TunTap.IffNoPi | TunTap.IffVnetHdr | TunTap.IffMultiQueue;
        var queues = new List<TapQueue>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                queues.Add(Attach(name, offloads, flags, another: i > 0));
            }

            return [.. queues];
        }
        catch
        {
            foreach (var queue in queues)
            {
                queue.Dispose();
            }

            throw;
        }
    }

    private static void CheckOffloads(string name, TapOffloads offloads)
    {
        if ((offloads & ~TapOffloads.All) != 0 || ((offloads & SegmentationOffloads) != 0 && (offloads & TapOffloads.Checksum) == 0))
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"tap \"{name}\": offloads {offloads} are not valid; segmentation offloads need {nameof(TapOffloads.Checksum)}");
        }
    }

    private static TapQueue Attach(string name, TapOffloads offloads, short flags, bool another)
    {
        FileDescriptorHandle handle = TunTap.Attach(name, flags, Libc.O_NONBLOCK, another);
        try
        {
            int headerBytes = VnetHeaderBytes;
            if (Libc.Ioctl(handle, TunSetVnetHdrSz, &headerBytes) < 0)
            {
                throw KernelException.FromLastError($"tap \"{name}\": setting the virtio-net header size (TUNSETVNETHDRSZ)");
            }

            // The flags travel in the pointer slot itself: ioctl(fd, TUNSETOFFLOAD, flags).
            if (Libc.Ioctl(handle, TunSetOffload, (void*)(nuint)(uint)offloads) < 0)
            {
                throw KernelException.FromLastError($"tap \"{name}\": setting offloads {offloads} (TUNSETOFFLOAD)");
            }

            int index = (int)Libc.IfNameToIndex(name);
            if (index == 0)
            {
                throw KernelException.FromLastError($"tap \"{name}\": reading its ifindex");
            }

            return new TapQueue(handle, name, index);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Blocks until a frame arrives and copies it, header included, into <paramref name="buffer"/>; returns
    /// its length. Throws <see cref="OperationCanceledException"/> on cancellation and
    /// <see cref="ObjectDisposedException"/> once the queue is disposed, both promptly from another thread.
    /// </summary>
    public int Read(Span<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(_waiter.IsClosed, this);
            cancellationToken.ThrowIfCancellationRequested();
            nint read;
            fixed (byte* data = buffer)
            {
                read = Libc.Read(_handle, data, (nuint)buffer.Length);
            }

            if (read >= 0)
            {
                return (int)read;
            }

            Errno errno = Libc.LastErrno();
            if (!_waiter.RetryAfter(errno, _handle, this, cancellationToken))
            {
                throw new KernelException(errno, $"reading a frame from tap \"{Name}\"");
            }
        }
    }

    /// <summary>
    /// Writes one frame (header, then the Ethernet frame) into the device, as if it had arrived on the
    /// wire. A full queue drops it (counted in <see cref="WriteDrops"/>); the kernel refusing it (a bad
    /// header, the device down) is a <see cref="KernelException"/>.
    /// </summary>
    public void Write(ReadOnlySpan<byte> frame)
    {
        ObjectDisposedException.ThrowIf(_waiter.IsClosed, this);
        while (true)
        {
            nint written;
            fixed (byte* data = frame)
            {
                written = Libc.Write(_handle, data, (nuint)frame.Length);
            }

            if (written >= 0)
            {
                return;
            }

            Errno errno = Libc.LastErrno();
            switch (errno)
            {
                case Errno.EAGAIN:
                    Interlocked.Increment(ref _writeDrops);
                    return;
                case Errno.EINTR:
                    continue;
                default:
                    throw new KernelException(errno, $"writing a frame of {frame.Length} bytes to tap \"{Name}\"");
            }
        }
    }

    /// <summary>Wakes a blocked reader and closes the descriptor (once no call is using it): the device is deleted.</summary>
    public void Dispose() => _waiter.Close(_handle);

    public override string ToString() => $"tap \"{Name}\"";
}
