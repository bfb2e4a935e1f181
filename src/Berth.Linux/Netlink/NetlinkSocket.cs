using System.Buffers.Binary;
using Berth.Core.Errors;
using Berth.Linux.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Linux.Netlink;

/// <summary>
/// A request/response netlink socket. It belongs to the network namespace of the thread that
/// opened it and can then be used from any thread; requests are serialised by a lock (the kernel
/// serialises rtnetlink writes under rtnl_lock anyway). Every request asks for an ACK, every
/// reply is matched to its sequence number, and errors carry the kernel's extended-ack text.
/// </summary>
public sealed class NetlinkSocket : IDisposable
{
    /// <summary>Large enough for any rtnetlink dump datagram (the kernel caps them at 32 KiB).</summary>
    private const int ReceiveBufferSize = 64 * 1024;

    /// <summary>Socket buffer sizes: room for a burst of pipelined requests and their ACKs.</summary>
    private const int SocketBufferSize = 1024 * 1024;

    /// <summary>
    /// Most requests sent in one sendmsg. The kernel handles all of them before sendmsg returns, queueing
    /// one ACK (an skb of ~1 KiB truesize) each on this socket; past the receive buffer it drops ACKs
    /// (ENOBUFS) and a pipeline would wait for them forever. 256 fit the smallest buffer a default
    /// rmem_max (208 KiB, doubled) leaves.
    /// </summary>
    public const int MaxRequestsPerSend = 256;

    /// <summary>How often a dump interrupted by a concurrent change (NLM_F_DUMP_INTR) is retried.</summary>
    public const int MaxDumpAttempts = 5;

    private readonly NetlinkSocketHandle _handle;
    private readonly Lock _lock = new();
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferSize];
    private readonly ILogger _logger;
    private uint _sequence;

    private NetlinkSocket(NetlinkSocketHandle handle, uint portId, ILogger logger)
    {
        _handle = handle;
        PortId = portId;
        _logger = logger;
        _sequence = (uint)Environment.TickCount;
    }

    /// <summary>The port id the kernel assigned to this socket.</summary>
    public uint PortId { get; }

    /// <summary>Opens a socket in the calling thread's network namespace.</summary>
    public static NetlinkSocket Open(ILogger? logger = null) =>
        Open(NetlinkProtocol.Route, groups: [], logger);

    internal static unsafe NetlinkSocket Open(int protocol, IReadOnlyList<uint> groups, ILogger? logger)
    {
        int fd = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            throw KernelException.FromLastError("cannot open a netlink socket");
        }

        var handle = new NetlinkSocketHandle(fd);
        try
        {
            SetOption(handle, Libc.SOL_SOCKET, Libc.SO_SNDBUF, SocketBufferSize);
            SetOption(handle, Libc.SOL_SOCKET, Libc.SO_RCVBUF, SocketBufferSize);
            SetOption(handle, NetlinkProtocol.SolNetlink, NetlinkProtocol.ExtAck, 1);
            SetOption(handle, NetlinkProtocol.SolNetlink, NetlinkProtocol.CapAck, 1);
            SetOption(handle, NetlinkProtocol.SolNetlink, NetlinkProtocol.GetStrictCheck, 1);
            byte* address = stackalloc byte[NetlinkProtocol.SockaddrSize];
            new Span<byte>(address, NetlinkProtocol.SockaddrSize).Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(address, 2), Libc.AF_NETLINK);
            if (Libc.Bind(handle, address, NetlinkProtocol.SockaddrSize) != 0)
            {
                throw KernelException.FromLastError("cannot bind a netlink socket");
            }

            // After bind: bind() replaces the memberships of groups 1-32 with its nl_groups mask (0 here).
            foreach (uint group in groups)
            {
                SetOption(handle, NetlinkProtocol.SolNetlink, NetlinkProtocol.AddMembership, (int)group);
            }

            uint length = NetlinkProtocol.SockaddrSize;
            if (Libc.GetSockName(handle, address, &length) != 0)
            {
                throw KernelException.FromLastError("cannot read the netlink socket's address");
            }

            uint portId = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(address + 4, 4));
            return new NetlinkSocket(handle, portId, logger ?? NullLogger.Instance);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    internal NetlinkSocketHandle Handle => _handle;

    /// <summary>A fresh sequence number for a message that is about to be written.</summary>
    public uint NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>
    /// Sends every message in <paramref name="writer"/> and waits for each one's ACK: in one sendmsg,
    /// or in slices of <see cref="MaxRequestsPerSend"/> for a large batch. Pipelined requests are not a
    /// transaction: the kernel applies each one on its own. If any fail, the first failure is thrown
    /// after all ACKs were read.
    /// </summary>
    public void Execute(NetlinkMessageWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        lock (_lock)
        {
            NetlinkException? first = null;
            int firstIndex = int.MaxValue;
            var remaining = writer.Written;
            int index = 0;
            while (index < writer.MessageCount)
            {
                int count = Math.Min(MaxRequestsPerSend, writer.MessageCount - index);
                int length = SliceLength(remaining, count);
                Send(remaining[..length], writer.Sequences[index], count);
                remaining = remaining[length..];
                var pending = new Dictionary<uint, int>(count);
                for (int i = index; i < index + count; i++)
                {
                    pending[writer.Sequences[i]] = i;
                }

                while (pending.Count > 0)
                {
                    var buffer = Receive();
                    while (NetlinkMessageParser.TryRead(ref buffer, out var message))
                    {
                        Trace(message);
                        if (message.Type != NetlinkMessageType.Error || !pending.Remove(message.Sequence, out int at))
                        {
                            continue; // a stray reply (e.g. NLM_F_ECHO) or an old message
                        }

                        var (errno, text) = NetlinkMessageParser.ReadError(message);
                        if (errno != 0 && at < firstIndex)
                        {
                            var request = RequestType(writer, message.Sequence);
                            NetlinkLog.RequestFailed(_logger, request, (Errno)errno, text);
                            first = new NetlinkException((Errno)errno, request, text) { Sequence = message.Sequence };
                            firstIndex = at;
                        }
                    }
                }

                index += count;
            }

            Reliability.CrashPoints.Pass("netlink");
            if (first is not null)
            {
                throw first;
            }
        }
    }

    /// <summary>
    /// <see cref="Execute(NetlinkMessageWriter)"/>, with a kernel refusal turned into the caller's
    /// error: <paramref name="translate"/> names the object and picks the kind from the errno.
    /// </summary>
    public void Execute(NetlinkMessageWriter writer, Func<NetlinkException, Exception> translate)
    {
        ArgumentNullException.ThrowIfNull(translate);
        try
        {
            Execute(writer);
        }
        catch (NetlinkException e)
        {
            throw translate(e);
        }
    }

    /// <summary>
    /// Sends one request and returns the replies parsed by <paramref name="parser"/> (one for a
    /// GET, many for a dump). A dump that the kernel marks interrupted is redone, up to
    /// <see cref="MaxDumpAttempts"/> times; <paramref name="build"/> writes the request each time.
    /// </summary>
    public List<T> Query<T>(Action<NetlinkMessageWriter, uint> build, NetlinkReplyParser<T> parser)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(parser);
        for (int attempt = 1; ; attempt++)
        {
            var writer = new NetlinkMessageWriter();
            build(writer, NextSequence());
            var (results, interrupted) = QueryOnce(writer, parser);
            if (!interrupted)
            {
                return results;
            }

            var request = RequestType(writer, writer.Sequences[0]);
            if (attempt >= MaxDumpAttempts)
            {
                throw new NetlinkException(Errno.EINTR, request, null,
                    $"netlink dump {request} was interrupted by concurrent changes {MaxDumpAttempts} times; try again",
                    ErrorKind.Unavailable);
            }

            NetlinkLog.DumpRetry(_logger, request, attempt);
        }
    }

    private (List<T> Results, bool Interrupted) QueryOnce<T>(NetlinkMessageWriter writer, NetlinkReplyParser<T> parser)
    {
        uint sequence = writer.Sequences[0];
        var results = new List<T>();
        bool interrupted = false;
        lock (_lock)
        {
            Send(writer);
            while (true)
            {
                var buffer = Receive();
                while (NetlinkMessageParser.TryRead(ref buffer, out var message))
                {
                    Trace(message);
                    if (message.Sequence != sequence)
                    {
                        continue;
                    }

                    interrupted |= (message.Flags & NetlinkFlags.DumpInterrupted) != 0;
                    switch (message.Type)
                    {
                        case NetlinkMessageType.Done:
                            return (results, interrupted);
                        case NetlinkMessageType.Error:
                            var (errno, text) = NetlinkMessageParser.ReadError(message);
                            if (errno != 0)
                            {
                                var request = RequestType(writer, sequence);
                                NetlinkLog.RequestFailed(_logger, request, (Errno)errno, text);
                                throw new NetlinkException((Errno)errno, request, text);
                            }

                            return (results, interrupted);
                        case NetlinkMessageType.Noop or NetlinkMessageType.Overrun:
                            continue;
                        default:
                            if (parser(message, out var value))
                            {
                                results.Add(value);
                            }

                            if ((message.Flags & NetlinkFlags.Multi) == 0)
                            {
                                // A single reply to a GET; an ACK follows only if one was asked for.
                                if ((GetFlags(writer) & NetlinkFlags.Ack) == 0)
                                {
                                    return (results, interrupted);
                                }
                            }

                            break;
                    }
                }
            }
        }
    }

    private void Send(NetlinkMessageWriter writer) => Send(writer.Written, writer.Sequences[0], writer.MessageCount);

    private unsafe void Send(ReadOnlySpan<byte> bytes, uint firstSequence, int count)
    {
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            NetlinkLog.Sent(_logger, firstSequence, count, bytes.Length, Convert.ToHexString(bytes));
        }

        fixed (byte* pointer = bytes)
        {
            while (true)
            {
                nint sent = Libc.Send(_handle, pointer, (nuint)bytes.Length, 0);
                if (sent >= 0)
                {
                    return;
                }

                var errno = Libc.LastErrno();
                if (errno != Errno.EINTR)
                {
                    throw new KernelException(errno, "cannot send a netlink request");
                }
            }
        }
    }

    /// <summary>The length in bytes of the first <paramref name="count"/> messages of <paramref name="buffer"/>.</summary>
    private static int SliceLength(ReadOnlySpan<byte> buffer, int count)
    {
        int total = buffer.Length;
        for (int i = 0; i < count; i++)
        {
            if (!NetlinkMessageParser.TryRead(ref buffer, out _))
            {
                break;
            }
        }

        return total - buffer.Length;
    }

    private unsafe ReadOnlySpan<byte> Receive()
    {
        fixed (byte* pointer = _receiveBuffer)
        {
            while (true)
            {
                nint received = Libc.Recv(_handle, pointer, (nuint)_receiveBuffer.Length, Libc.MSG_TRUNC);
                if (received > _receiveBuffer.Length)
                {
                    throw new KernelException(Errno.EMSGSIZE,
                        $"a netlink reply of {received} bytes did not fit the {_receiveBuffer.Length}-byte buffer");
                }

                if (received >= 0)
                {
                    return _receiveBuffer.AsSpan(0, (int)received);
                }

                var errno = Libc.LastErrno();
                if (errno != Errno.EINTR)
                {
                    // ENOBUFS here means the kernel dropped replies: the request outcome is unknown.
                    throw new KernelException(errno, "cannot receive a netlink reply");
                }
            }
        }
    }

    private void Trace(in NetlinkMessage message)
    {
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            NetlinkLog.Received(_logger, message.Type, message.Flags, message.Sequence, message.Payload.Length);
        }
    }

    private static NetlinkMessageType RequestType(NetlinkMessageWriter writer, uint sequence)
    {
        var buffer = writer.Written;
        while (NetlinkMessageParser.TryRead(ref buffer, out var message))
        {
            if (message.Sequence == sequence)
            {
                return message.Type;
            }
        }

        return 0;
    }

    private static NetlinkFlags GetFlags(NetlinkMessageWriter writer)
    {
        var buffer = writer.Written;
        return NetlinkMessageParser.TryRead(ref buffer, out var message) ? message.Flags : NetlinkFlags.None;
    }

    private static unsafe void SetOption(NetlinkSocketHandle handle, int level, int name, int value)
    {
        if (Libc.SetSockOpt(handle, level, name, &value, sizeof(int)) != 0)
        {
            var errno = Libc.LastErrno();

            // Buffer sizes are best effort; the membership and ack options are required.
            if (level != Libc.SOL_SOCKET)
            {
                throw new KernelException(errno, $"cannot set netlink socket option {name}");
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
