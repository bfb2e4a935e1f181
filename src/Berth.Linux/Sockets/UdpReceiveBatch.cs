using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Linux.Sockets;

/// <summary>
/// Where one <see cref="UdpTunnelSocket.Receive"/> puts up to <see cref="Capacity"/> datagrams and their
/// senders: headers, addresses and buffers in native memory allocated once, read back as spans that stay
/// valid until the next receive into this batch. Owned by one receiving thread.
/// </summary>
public sealed unsafe class UdpReceiveBatch : IDisposable
{
    private readonly MultiMessageHeader* _headers;
    private readonly IoVector* _vectors;
    private readonly byte* _addresses;
    private readonly byte* _buffers;
    private bool _disposed;

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
        for (int i = 0; i < capacity; i++)
        {
            _vectors[i] = new IoVector { Base = _buffers + ((nint)i * bufferSize), Length = (nuint)bufferSize };
            _headers[i] = new MultiMessageHeader { Name = _addresses + (i * InetSocketAddress.MaxBytes), Iov = _vectors + i, IovLength = 1 };
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
    }

    /// <summary>Resets what the kernel changes in each header; the result is the array for recvmmsg.</summary>
    internal MultiMessageHeader* Prepare()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Count = 0;
        for (int i = 0; i < Capacity; i++)
        {
            _headers[i].NameLength = InetSocketAddress.MaxBytes;
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
