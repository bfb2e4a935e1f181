using System.Runtime.InteropServices;
using Berth.Linux.Interop;

namespace Berth.Linux.Sockets;

public sealed unsafe partial class UdpTunnelSocket
{
    /// <summary>Most datagrams one <see cref="Send"/> takes; the native arrays are sized for it.</summary>
    public const int MaxSendBatch = 64;

    /// <summary>UDP_MAX_SEGMENTS (include/linux/udp.h): most datagrams one GSO send may be cut into.</summary>
    private const int UdpMaxSegments = 64;

    /// <summary>The largest UDP payload of one send: 65535 less the IPv4 (20) and UDP (8) headers; IPv6 counts only UDP's.</summary>
    private const int MaxPayloadV4 = 65535 - 20 - 8;

    private const int MaxPayloadV6 = 65535 - 8;

    /// <summary>CMSG_SPACE(sizeof(u16)): a 16-byte <c>struct cmsghdr</c> (len, level, type) and the u16, aligned to 8.</summary>
    private const int SegmentControlBytes = 24;

    /// <summary>CMSG_LEN(sizeof(u16)).</summary>
    private const int SegmentControlLength = 16 + sizeof(ushort);

    private const int ControlLevelOffset = 8;
    private const int ControlTypeOffset = 12;
    private const int ControlDataOffset = 16;

    private const int Idle = 0;
    private const int Busy = 1;
    private const int Retired = 2;

    private readonly MultiMessageHeader* _sendHeaders;
    private readonly IoVector* _sendVectors;
    private readonly byte* _destination;
    private readonly byte* _control;

    // Idle, Busy while one Send uses the arrays above, Retired once disposed (whoever is last frees them).
    private int _sending;
    private long _sendDrops;

    /// <summary>Datagrams <see cref="Send"/> dropped: the socket buffer was full, or the network reported an error.</summary>
    public long SendDrops => Interlocked.Read(ref _sendDrops);

    /// <summary>
    /// Send runs of equal-length datagrams (all but a shorter last one) as UDP GSO sends (UDP_SEGMENT,
    /// Linux 4.18): one pass through the stack per 64 KiB, cut by the NIC or in software at the bottom.
    /// Measured over a veth, one thread sending and receiving 1400-byte datagrams: about 4 times the
    /// datagram rate of plain sendmmsg. On by default; when the route refuses it (no checksum offload: EIO;
    /// a segment above the path MTU: EINVAL) it turns itself off and that batch and later ones go by sendmmsg.
    /// </summary>
    public bool SegmentationOffload { get; set; } = true;

    /// <summary>
    /// Sends datagram i = <c>datagrams[(i * stride)..][..lengths[i]]</c> for every i to
    /// <paramref name="destinationAddress"/> (4 or 16 bytes, the socket's family) and <paramref name="port"/>,
    /// all in one sendmmsg (more only if the kernel takes part). A full socket buffer drops the rest and a
    /// network error (ICMP unreachable reported back) drops one datagram: both counted in
    /// <see cref="SendDrops"/>. One sender at a time: a concurrent second call is an
    /// <see cref="InvalidOperationException"/>.
    /// </summary>
    public void Send(ReadOnlySpan<byte> datagrams, int stride, ReadOnlySpan<int> lengths, ReadOnlySpan<byte> destinationAddress, ushort port)
    {
        ObjectDisposedException.ThrowIf(_waiter.IsClosed, this);
        int count = lengths.Length;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxSendBatch, nameof(lengths));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        if (destinationAddress.Length != InetSocketAddress.AddressBytesOf(_family))
        {
            throw new ArgumentException($"{this} sends to {InetSocketAddress.AddressBytesOf(_family)}-byte addresses, not {destinationAddress.Length}-byte ones", nameof(destinationAddress));
        }

        for (int i = 0; i < count; i++)
        {
            if ((uint)lengths[i] > (uint)stride || ((long)i * stride) + lengths[i] > datagrams.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(lengths), $"datagram {i} of {lengths[i]} bytes does not fit its {stride}-byte slot in {datagrams.Length} bytes");
            }
        }

        if (count == 0)
        {
            return;
        }

        int state = Interlocked.CompareExchange(ref _sending, Busy, Idle);
        ObjectDisposedException.ThrowIf(state == Retired, this);
        if (state == Busy)
        {
            throw new InvalidOperationException($"{this}: another thread is sending; use one sender per socket");
        }

        try
        {
            uint addressLength = (uint)InetSocketAddress.Write(new Span<byte>(_destination, InetSocketAddress.MaxBytes), _family, destinationAddress, port);
            fixed (byte* data = datagrams)
            {
                for (int i = 0; i < count; i++)
                {
                    _sendVectors[i] = new IoVector { Base = data + ((nint)i * stride), Length = (nuint)lengths[i] };
                }

                int first = 0;
                int segment = SegmentationOffload ? SegmentSize(lengths) : 0;
                if (segment > 0)
                {
                    first = SendSegmented(count, segment, addressLength);
                }

                if (first < count)
                {
                    SendEach(first, count, addressLength);
                }
            }
        }
        finally
        {
            if (Interlocked.CompareExchange(ref _sending, Idle, Busy) == Retired)
            {
                FreeSendMemory();
            }
        }
    }

    /// <summary>The GSO segment size when every datagram but the last has it and the last is no longer; 0 when not.</summary>
    private int SegmentSize(ReadOnlySpan<int> lengths)
    {
        int segment = lengths[0];
        if (lengths.Length < 2 || segment == 0 || segment > MaxPayload / 2)
        {
            return 0;
        }

        for (int i = 1; i < lengths.Length - 1; i++)
        {
            if (lengths[i] != segment)
            {
                return 0;
            }
        }

        return lengths[^1] is > 0 and var last && last <= segment ? segment : 0;
    }

    private int MaxPayload => _family == Libc.AF_INET ? MaxPayloadV4 : MaxPayloadV6;

    /// <summary>Sends datagrams as GSO messages of many segments each; returns the first datagram not handled (GSO refused).</summary>
    private int SendSegmented(int count, int segment, uint addressLength)
    {
        int perMessage = Math.Min(UdpMaxSegments, MaxPayload / segment);
        int messages = (count + perMessage - 1) / perMessage;
        for (int m = 0; m < messages; m++)
        {
            int first = m * perMessage;
            byte* control = _control + (m * SegmentControlBytes);
            *(nuint*)control = SegmentControlLength;
            *(int*)(control + ControlLevelOffset) = Libc.SOL_UDP;
            *(int*)(control + ControlTypeOffset) = Libc.UDP_SEGMENT;
            *(ushort*)(control + ControlDataOffset) = (ushort)segment;
            _sendHeaders[m] = new MultiMessageHeader
            {
                Name = _destination,
                NameLength = addressLength,
                Iov = _sendVectors + first,
                IovLength = (nuint)Math.Min(perMessage, count - first),
                Control = control,
                ControlLength = SegmentControlBytes,
            };
        }

        int sent = Transmit(messages, perMessage, count, segmented: true, out Errno refusal);
        if (refusal != 0)
        {
            SegmentationOffload = false;
        }

        return Math.Min(count, sent * perMessage);
    }

    private void SendEach(int first, int count, uint addressLength)
    {
        for (int i = first; i < count; i++)
        {
            _sendHeaders[i - first] = new MultiMessageHeader { Name = _destination, NameLength = addressLength, Iov = _sendVectors + i, IovLength = 1 };
        }

        Transmit(count - first, 1, count - first, segmented: false, out _);
    }

    /// <summary>
    /// sendmmsg until every message went or the rest is dropped; returns how many messages were handled
    /// (fewer only when a GSO send was refused, then <paramref name="refusal"/> says why).
    /// </summary>
    private int Transmit(int messages, int perMessage, int datagrams, bool segmented, out Errno refusal)
    {
        refusal = 0;
        int offset = 0;
        while (offset < messages)
        {
            int sent = Libc.Sendmmsg(_handle, _sendHeaders + offset, (uint)(messages - offset), Libc.MSG_DONTWAIT);
            if (sent > 0)
            {
                offset += sent;
                continue;
            }

            Errno errno = sent < 0 ? Libc.LastErrno() : Errno.EAGAIN;
            switch (errno)
            {
                case Errno.EINTR:
                    continue;
                case Errno.EAGAIN or Errno.ENOBUFS:
                    Interlocked.Add(ref _sendDrops, datagrams - (offset * perMessage));
                    return messages;
                case var _ when IsNetworkReport(errno):
                    Interlocked.Increment(ref _icmpErrors);
                    Interlocked.Add(ref _sendDrops, Math.Min(perMessage, datagrams - (offset * perMessage)));
                    offset++;
                    continue;
                case Errno.EIO or Errno.EINVAL when segmented:
                    refusal = errno;
                    return offset;
                default:
                    throw new KernelException(errno, $"sending {datagrams - (offset * perMessage)} datagrams on {this}");
            }
        }

        return messages;
    }

    private void FreeSendMemory()
    {
        NativeMemory.Free(_sendHeaders);
        NativeMemory.Free(_sendVectors);
        NativeMemory.Free(_destination);
        NativeMemory.Free(_control);
    }
}
