using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Linux.Sockets;

/// <summary>
/// Many datagrams in and their replies out with one system call each way (recvmmsg(2), sendmmsg(2)), for
/// a server answering small requests at a high rate: per-datagram system calls and thread wake-ups are
/// what bounds such a server. Buffers, addresses and headers live in native memory allocated once; the
/// reply to datagram i goes to its sender. Not thread-safe: one batch serves one loop at a time.
/// </summary>
public sealed unsafe class DatagramBatch : IDisposable
{
    /// <summary>Room for a sockaddr_in6, the largest address a UDP socket reports (netinet/in.h).</summary>
    private const int AddressBytes = 28;

    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;
    private const int MsgTrunc = 0x20;

    private readonly int _bufferSize;
    private readonly MultiMessageHeader* _received;
    private readonly MultiMessageHeader* _replies;
    private readonly IoVector* _vectors;
    private readonly byte* _addresses;
    private readonly byte* _buffers;
    private readonly int[] _replyLengths;

    // Bytes of each received datagram; -1 for one longer than the buffer (cut, to be ignored).
    private readonly int[] _lengths;
    private bool _disposed;

    /// <param name="capacity">Datagrams per call.</param>
    /// <param name="bufferSize">Largest datagram and largest reply; a longer datagram is dropped.</param>
    public DatagramBatch(int capacity, int bufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferSize);
        Capacity = capacity;
        _bufferSize = bufferSize;
        _received = (MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(MultiMessageHeader)));
        _replies = (MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(MultiMessageHeader)));
        _vectors = (IoVector*)NativeMemory.AllocZeroed((nuint)(2 * capacity * sizeof(IoVector)));
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * AddressBytes));
        _buffers = (byte*)NativeMemory.Alloc((nuint)(2 * capacity * bufferSize));
        _replyLengths = new int[capacity];
        _lengths = new int[capacity];
    }

    public int Capacity { get; }

    /// <summary>How many datagrams the last <see cref="Receive"/> brought.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Takes the datagrams waiting on <paramref name="socket"/>, up to <see cref="Capacity"/>, without
    /// waiting; returns how many (0: none waiting). An ICMP error left by an earlier reply is skipped.
    /// </summary>
    public int Receive(SafeHandle socket)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (int i = 0; i < Capacity; i++)
        {
            _vectors[i] = new IoVector { Base = _buffers + (i * _bufferSize), Length = (nuint)_bufferSize };
            _received[i] = new MultiMessageHeader { Name = _addresses + (i * AddressBytes), NameLength = AddressBytes, Iov = _vectors + i, IovLength = 1 };
            _replyLengths[i] = 0;
        }

        while (true)
        {
            int n = Libc.Recvmmsg(socket, _received, (uint)Capacity, Libc.MSG_DONTWAIT, null);
            if (n >= 0)
            {
                for (int i = 0; i < n; i++)
                {
                    _lengths[i] = (_received[i].Flags & MsgTrunc) != 0 ? -1 : (int)_received[i].Length;
                }

                Count = n;
                return n;
            }

            Errno errno = Libc.LastErrno();
            switch (errno)
            {
                case Errno.EAGAIN:
                    Count = 0;
                    return 0;
                case Errno.EINTR or Errno.ECONNREFUSED:
                    continue;
                default:
                    throw new KernelException(errno, "cannot receive datagrams");
            }
        }
    }

    /// <summary>Datagram <paramref name="i"/> of the last receive; empty for one that was too long (to be ignored).</summary>
    public ReadOnlySpan<byte> Message(int i)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)Count);
        return _lengths[i] < 0 ? default : new ReadOnlySpan<byte>(_buffers + (i * _bufferSize), _lengths[i]);
    }

    /// <summary>True when datagram <paramref name="i"/> was longer than the buffer (and was cut).</summary>
    public bool Truncated(int i) => _lengths[i] < 0;

    /// <summary>The sender of datagram <paramref name="i"/> (allocates: for the slow path).</summary>
    public IPEndPoint Sender(int i)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)Count);
        var address = new ReadOnlySpan<byte>(_addresses + (i * AddressBytes), AddressBytes);
        ushort family = BinaryPrimitives.ReadUInt16LittleEndian(address);
        int port = BinaryPrimitives.ReadUInt16BigEndian(address[2..]);
        return family switch
        {
            AfInet => new IPEndPoint(new IPAddress(address.Slice(4, 4)), port),
            AfInet6 => new IPEndPoint(new IPAddress(address.Slice(8, 16), BinaryPrimitives.ReadUInt32LittleEndian(address[24..])), port),
            _ => throw new NotSupportedException($"address family {family} of a received datagram"),
        };
    }

    /// <summary>Where the reply to datagram <paramref name="i"/> is written; <see cref="SetReply"/> says how long it is.</summary>
    public Span<byte> ReplyBuffer(int i)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)Count);
        return new Span<byte>(_buffers + ((Capacity + i) * _bufferSize), _bufferSize);
    }

    /// <summary>Datagram <paramref name="i"/> gets a reply of <paramref name="length"/> bytes from its buffer (0: none).</summary>
    public void SetReply(int i, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)Count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)_bufferSize);
        _replyLengths[i] = length;
    }

    /// <summary>
    /// Sends every reply set since the last receive, each to its datagram's sender; returns how many went.
    /// A reply the kernel refuses (the sender's port is gone, no buffer space) is dropped: over UDP the
    /// client asks again.
    /// </summary>
    public int SendReplies(SafeHandle socket)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int count = 0;
        for (int i = 0; i < Count; i++)
        {
            if (_replyLengths[i] > 0)
            {
                _vectors[Capacity + count] = new IoVector { Base = _buffers + ((Capacity + i) * _bufferSize), Length = (nuint)_replyLengths[i] };
                _replies[count] = new MultiMessageHeader { Name = _addresses + (i * AddressBytes), NameLength = _received[i].NameLength, Iov = _vectors + Capacity + count, IovLength = 1 };
                count++;
            }
        }

        int sent = 0;
        int offset = 0;
        while (offset < count)
        {
            int n = Libc.Sendmmsg(socket, _replies + offset, (uint)(count - offset), Libc.MSG_DONTWAIT);
            if (n > 0)
            {
                sent += n;
                offset += n;
            }
            else if (n < 0 && Libc.LastErrno() == Errno.EINTR)
            {
                continue;
            }
            else
            {
                // The first remaining reply failed: drop it, send the rest.
                offset++;
            }
        }

        return sent;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        NativeMemory.Free(_received);
        NativeMemory.Free(_replies);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_addresses);
        NativeMemory.Free(_buffers);
    }
}
