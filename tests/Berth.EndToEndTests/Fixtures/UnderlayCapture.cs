using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Berth.Linux.Namespaces;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// Every frame on the links of a lab host's namespace (an AF_PACKET socket there, all protocols), kept in memory until
/// disposed: what crossed the underlay, to look for cleartext in and to replay from.
/// </summary>
public sealed class UnderlayCapture : IDisposable
{
    /// <summary>ETH_P_ALL (linux/if_ether.h), in network byte order as socket(2) wants it.</summary>
    private const int AllProtocols = 0x0300;

    private readonly Socket _socket;
    private readonly ConcurrentQueue<byte[]> _frames = new();
    private readonly Thread _reader;
    private volatile bool _stopped;

    public UnderlayCapture(string netnsPath)
    {
        using var netns = NetnsHandle.Open(netnsPath);
        _socket = NamespaceRunner.Shared.Run(netns, () => new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)AllProtocols));
        _socket.ReceiveTimeout = 200;
        _socket.ReceiveBufferSize = 8 << 20;
        _reader = new Thread(Read) { IsBackground = true, Name = "capture" };
        _reader.Start();
    }

    /// <summary>The frames captured so far (Ethernet, both directions).</summary>
    public IReadOnlyList<byte[]> Frames => [.. _frames];

    /// <summary>The UDP datagrams captured so far to <paramref name="port"/>: sender address and payload.</summary>
    public IReadOnlyList<(IPAddress Source, IPAddress Destination, byte[] Payload)> UdpTo(int port) =>
        [.. Frames.Select(Udp).Where(d => d is { } u && u.DestinationPort == port).Select(d => (d!.Value.Source, d.Value.Destination, d.Value.Payload))];

    /// <summary>Whether any captured frame holds <paramref name="marker"/> anywhere.</summary>
    public bool Contains(byte[] marker) => Frames.Any(f => f.AsSpan().IndexOf(marker) >= 0);

    /// <summary>An IPv4 UDP frame's addresses, ports and payload; null for anything else.</summary>
    public static (IPAddress Source, IPAddress Destination, int DestinationPort, byte[] Payload)? Udp(byte[] frame)
    {
        if (frame.Length < 14 + 20 + 8 || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) != 0x0800 || frame[14 + 9] != 17)
        {
            return null;
        }

        int ip = 14;
        int udp = ip + ((frame[ip] & 0x0f) * 4);
        int length = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(udp + 4));
        if (udp + length > frame.Length || length < 8)
        {
            return null;
        }

        return (new IPAddress(frame.AsSpan(ip + 12, 4)), new IPAddress(frame.AsSpan(ip + 16, 4)),
            BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(udp + 2)), frame.AsSpan(udp + 8, length - 8).ToArray());
    }

    public void Dispose()
    {
        _stopped = true;
        _reader.Join();
        _socket.Dispose();
    }

    private void Read()
    {
        var buffer = new byte[70_000];
        while (!_stopped)
        {
            try
            {
                int n = _socket.Receive(buffer);
                _frames.Enqueue(buffer.AsSpan(0, n).ToArray());
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                // look at _stopped again
            }
        }
    }
}
