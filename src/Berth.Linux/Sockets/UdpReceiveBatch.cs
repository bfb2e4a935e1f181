using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Linux.Sockets;

/// <summary>
/// Where one <see cref="UdpTunnelSocket.Receive"/> puts up to <see cref="Capacity"/> datagrams and their
/// senders: headers, addresses and buffers in native memory allocated once, read back as spans that stay
/// valid until the next receive into this batch. Owned by one receiving thread. On a socket with
/// <see cref="UdpTunnelSocket.TryCoalesceReceives"/>, one entry may hold several datagrams of one sender back to back
/// (<see cref="SegmentSize"/>); such a batch needs buffers of <see cref="CoalescedBufferSize"/>.
/// </summary>
public sealed unsafe class UdpReceiveBatch : IDisposable
{
    private readonly MultiMessageHeader* _headers;
    private readonly IoVector* _vectors;
    private readonly byte* _addresses;
    private readonly byte* _buffers;
    private readonly byte* _control;
    private bool _disposed;

    /// <summary>Enough for any coalesced entry: the largest UDP payload.</summary>
    public const int CoalescedBufferSize = 65535;

    /// <summary>CMSG_SPACE(sizeof(int)): a 16-byte <c>struct cmsghdr</c> and the int, aligned to 8.</summary>
    private const int ControlBytes = 24;

    /// <param name="capacity">Datagrams per receive (one recvmmsg).</param>
    /// <param name="bufferSize">Bytes per datagram; a longer one is cut and flagged <see cref="Truncated"/>.</param>
    public UdpReceiveBatch(int capacity, int bufferSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferSize);
        Capacity = capacity;
        BufferSize = bufferSize;
        _headers = (MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(MultiMessageHeader));
        _vectors = (IoVector*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(IoVector));
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)capacity, InetSocketAddress.MaxBytes);
        _buffers = (byte*)NativeMemory.Alloc((nuint)capacity, (nuint)bufferSize);
        _control = (byte*)NativeMemory.AllocZeroed((nuint)capacity, ControlBytes);
        for (int i = 0; i < capacity; i++)
        {
            _vectors[i] = new IoVector { Base = _buffers + ((nint)i * bufferSize), Length = (nuint)bufferSize };
            _headers[i] = new MultiMessageHeader
            {
                Name = _addresses + (i * InetSocketAddress.MaxBytes), Iov = _vectors + i, IovLength = 1, Control = _control + (i * ControlBytes),
            };
        }
    }

    public int Capacity { get; }

    public int BufferSize { get; }

    /// <summary>How many datagrams the last receive brought.</summary>
    public int Count { get; private set; }

    /// <summary>Datagram <paramref name="i"/> of the last receive (cut to <see cref="BufferSize"/> if it was longer).</summary>
    public ReadOnlySpan<byte> Datagram(int i)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)Count);
        return new ReadOnlySpan<byte>(_buffers + ((nint)i * BufferSize), (int)Math.Min(_headers[i].Length, (uint)BufferSize));
    }

    /// <summary>True when datagram <paramref name="i"/> was longer than <see cref="BufferSize"/>: drop it.</summary>
    public bool Truncated(int i)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)Count);
        return (_headers[i].Flags & Libc.MSG_TRUNC) != 0;
    }

    /// <summary>
    /// The size of each datagram in entry <paramref name="i"/> when the kernel coalesced several (UDP_GRO; the last may be
    /// shorter), else 0: the entry is one datagram.
    /// </summary>
    public int SegmentSize(int i)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)Count);
        byte* control = _control + (i * ControlBytes);
        return _headers[i].ControlLength >= 16 + sizeof(int) && *(int*)(control + 8) == Libc.SOL_UDP && *(int*)(control + 12) == Libc.UDP_GRO
            ? *(int*)(control + 16)
            : 0;
    }

    /// <summary>The sender's address, 4 (IPv4) or 16 (IPv6) bytes in network order.</summary>
    public ReadOnlySpan<byte> SenderAddress(int i) => InetSocketAddress.Address(SocketAddress(i));

    public ushort SenderPort(int i) => InetSocketAddress.Port(SocketAddress(i));

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Count = 0;
        NativeMemory.Free(_headers);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_addresses);
        NativeMemory.Free(_buffers);
        NativeMemory.Free(_control);
    }

    /// <summary>Resets what the kernel changes in each header; the result is the array for recvmmsg.</summary>
    internal MultiMessageHeader* Prepare()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Count = 0;
        for (int i = 0; i < Capacity; i++)
        {
            _headers[i].NameLength = InetSocketAddress.MaxBytes;
            _headers[i].ControlLength = ControlBytes;
            _headers[i].Flags = 0;
        }

        return _headers;
    }

    internal void Complete(int count) => Count = count;

    private ReadOnlySpan<byte> SocketAddress(int i)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)Count);
        return new ReadOnlySpan<byte>(_addresses + (i * InetSocketAddress.MaxBytes), InetSocketAddress.MaxBytes);
    }
}
