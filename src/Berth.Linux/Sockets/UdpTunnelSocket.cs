using System.Net;
using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Linux.Sockets;

/// <summary>
/// The underlay end of a user-space tunnel: a non-blocking UDP socket with large kernel buffers, bound in
/// the namespace of the thread that bound it and usable from any thread afterwards. Datagrams come in by
/// batches (one recvmmsg after a poll(2) that <see cref="Dispose"/> and cancellation interrupt) and go out
/// by batches (one sendmmsg); neither allocates in steady state.
/// Threads: one receiver (with its own <see cref="UdpReceiveBatch"/>) and one sender at a time, which may
/// run concurrently with each other; a second concurrent sender is refused (the send arrays are the socket's).
/// </summary>
public sealed unsafe partial class UdpTunnelSocket : IDisposable
{
    /// <summary>Kernel send and receive buffers: a few milliseconds of a fast link, so bursts are not dropped.</summary>
    public const int KernelBufferBytes = 4 << 20;

    private readonly FileDescriptorHandle _handle;
    private readonly ReadinessWaiter _waiter;
    private readonly int _family;
    private long _icmpErrors;

    private UdpTunnelSocket(FileDescriptorHandle handle, int family, IPEndPoint local)
    {
        _handle = handle;
        _family = family;
        LocalEndPoint = local;
        _waiter = new ReadinessWaiter();
        _sendHeaders = (MultiMessageHeader*)NativeMemory.AllocZeroed(MaxSendBatch, (nuint)sizeof(MultiMessageHeader));
        _sendVectors = (IoVector*)NativeMemory.AllocZeroed(MaxSendBatch, (nuint)sizeof(IoVector));
        _destination = (byte*)NativeMemory.AllocZeroed(InetSocketAddress.MaxBytes);
        _control = (byte*)NativeMemory.AllocZeroed(MaxSendBatch, SegmentControlBytes);
    }

    /// <summary>The bound address and port (the port the kernel chose when bound to 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Errors the network reported back (ICMP unreachable and the like) that were ignored.</summary>
    public long IcmpErrors => Interlocked.Read(ref _icmpErrors);

    /// <summary>
    /// Binds a UDP socket to <paramref name="local"/>:<paramref name="port"/> (0: any free port) in the
    /// calling thread's network namespace. An IPv6 socket is IPv6 only. Conflict when the port is taken.
    /// </summary>
    public static UdpTunnelSocket Bind(IPAddress local, ushort port) => Bind(local, port, reusePort: false);

    private static UdpTunnelSocket Bind(IPAddress local, ushort port, bool reusePort)
    {
        ArgumentNullException.ThrowIfNull(local);
        int family = InetSocketAddress.FamilyOf(local);
        int fd = Libc.Socket(family, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw KernelException.FromLastError($"cannot open a UDP socket for {local}");
        }

        var handle = new FileDescriptorHandle(fd);
        try
        {
            if (family == Libc.AF_INET6)
            {
                SetOption(handle, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, 1, "IPV6_V6ONLY");
            }

            if (reusePort)
            {
                SetOption(handle, Libc.SOL_SOCKET, Libc.SO_REUSEPORT, 1, "SO_REUSEPORT");
            }

            SetBuffer(handle, Libc.SO_RCVBUFFORCE, Libc.SO_RCVBUF, "receive");
            SetBuffer(handle, Libc.SO_SNDBUFFORCE, Libc.SO_SNDBUF, "send");

            Span<byte> address = stackalloc byte[InetSocketAddress.MaxBytes];
            Span<byte> raw = stackalloc byte[InetSocketAddress.AddressBytesOf(family)];
            local.TryWriteBytes(raw, out _);
            int length = InetSocketAddress.Write(address, family, raw, port, family == Libc.AF_INET6 ? (uint)local.ScopeId : 0);
            fixed (byte* bytes = address)
            {
                if (Libc.Bind(handle, bytes, (uint)length) != 0)
                {
                    Errno errno = Libc.LastErrno();
                    throw errno == Errno.EADDRINUSE
                        ? new KernelException(errno, $"UDP port {port} on {local} is in use; choose another port or stop what holds it")
                        : new KernelException(errno, $"cannot bind a UDP socket to {local} port {port}");
                }

                uint named = InetSocketAddress.MaxBytes;
                if (Libc.GetSockName(handle, bytes, &named) != 0)
                {
                    throw KernelException.FromLastError($"cannot read the port of the UDP socket bound to {local}");
                }
            }

            return new UdpTunnelSocket(handle, family, new IPEndPoint(local, InetSocketAddress.Port(address)));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Blocks until at least one datagram is waiting, then takes up to <see cref="UdpReceiveBatch.Capacity"/>
    /// of them with one recvmmsg; returns how many (also <see cref="UdpReceiveBatch.Count"/>). Throws
    /// <see cref="OperationCanceledException"/> on cancellation and <see cref="ObjectDisposedException"/>
    /// once the socket is disposed, promptly from another thread.
    /// </summary>
    public int Receive(UdpReceiveBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        while (true)
        {
            ObjectDisposedException.ThrowIf(_waiter.IsClosed, this);
            cancellationToken.ThrowIfCancellationRequested();
            int received = Libc.Recvmmsg(_handle, batch.Prepare(), (uint)batch.Capacity, Libc.MSG_DONTWAIT, null);
            if (received > 0)
            {
                batch.Complete(received);
                return received;
            }

            if (received == 0)
            {
                continue;
            }

            Errno errno = Libc.LastErrno();
            if (IsNetworkReport(errno))
            {
                Interlocked.Increment(ref _icmpErrors);
            }
            else if (!_waiter.RetryAfter(errno, _handle, this, cancellationToken))
            {
                throw new KernelException(errno, $"receiving datagrams on {this}");
            }
        }
    }

    /// <summary>
    /// Asks the kernel to hand over datagrams of one sender coalesced (UDP_GRO, Linux 5.0): a sender's UDP GSO batch
    /// crosses veths and bridges whole and arrives as one entry instead of being cut up, one recvmmsg entry per batch.
    /// False where the kernel cannot. Receive then into a batch with <see cref="UdpReceiveBatch.CoalescedBufferSize"/>
    /// buffers and split entries by <see cref="UdpReceiveBatch.SegmentSize"/>.
    /// </summary>
    public bool TryCoalesceReceives() => TrySetOption(_handle, Libc.SOL_UDP, Libc.UDP_GRO, 1) == 0;

    /// <summary>Wakes a blocked receiver and closes the socket once no call is using it.</summary>
    public void Dispose()
    {
        if (!_waiter.Close(_handle))
        {
            return;
        }

        // A sender still inside Send owns the arrays: it frees them on its way out.
        if (Interlocked.Exchange(ref _sending, Retired) == Idle)
        {
            FreeSendMemory();
        }
    }

    public override string ToString() => $"UDP socket {LocalEndPoint}";

    /// <summary>Errors a UDP socket reports for earlier datagrams (ICMP) or a route that is missing just now.</summary>
    private static bool IsNetworkReport(Errno errno) =>
        errno is Errno.ECONNREFUSED or Errno.EHOSTUNREACH or Errno.ENETUNREACH or Errno.EHOSTDOWN;

    private static void SetBuffer(FileDescriptorHandle handle, int forced, int capped, string direction)
    {
        // The FORCE options need CAP_NET_ADMIN and ignore net.core.[rw]mem_max; without it the plain ones
        // give what the sysctl allows.
        if (TrySetOption(handle, Libc.SOL_SOCKET, forced, KernelBufferBytes) == Errno.EPERM)
        {
            SetOption(handle, Libc.SOL_SOCKET, capped, KernelBufferBytes, $"the {direction} buffer size");
        }
    }

    private static void SetOption(FileDescriptorHandle handle, int level, int name, int value, string what)
    {
        Errno errno = TrySetOption(handle, level, name, value);
        if (errno != 0)
        {
            throw new KernelException(errno, $"cannot set {what} on a UDP socket");
        }
    }

    private static Errno TrySetOption(FileDescriptorHandle handle, int level, int name, int value) =>
        Libc.SetSockOpt(handle, level, name, &value, sizeof(int)) == 0 ? 0 : Libc.LastErrno();
}
