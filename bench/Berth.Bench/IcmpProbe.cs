using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Linux.Namespaces;

namespace Berth.Bench;

/// <summary>
/// Echo requests from a raw ICMP socket opened in a given network namespace (or this process's), used to
/// see when a container first answers — without starting a ping process per measurement, whose start-up
/// (and, for a namespace, nsenter's) would be measured too.
/// </summary>
internal sealed class IcmpProbe : IDisposable
{
    private const int EchoRequest = 8;
    private const int EchoReply = 0;
    private const int IcmpHeaderBytes = 8;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(2);

    private readonly Socket _socket;
    private readonly ushort _id = (ushort)Environment.ProcessId;
    private ushort _sequence;

    private IcmpProbe(Socket socket) => _socket = socket;

    /// <summary>A probe whose socket lives in the namespace at <paramref name="netnsPath"/>; null: this process's namespace.</summary>
    public static IcmpProbe Open(string? netnsPath)
    {
        if (netnsPath is null)
        {
            return new IcmpProbe(NewSocket());
        }

        using var target = NetnsHandle.Open(netnsPath);
        return new IcmpProbe(NamespaceRunner.Shared.Run(target, NewSocket));
    }

    /// <summary>Sends an echo request every 2 ms until <paramref name="address"/> answers; false after <paramref name="timeout"/>.</summary>
    public bool WaitForReply(IPAddress address, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var endpoint = new IPEndPoint(address, 0);
        byte[] reply = new byte[1500];
        while (clock.Elapsed < timeout)
        {
            try
            {
                _socket.SendTo(Request(++_sequence), endpoint);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.HostUnreachable or SocketError.NetworkUnreachable)
            {
                // No neighbour entry yet: try again.
            }

            var until = clock.Elapsed + Interval;
            while (clock.Elapsed < until && _socket.Poll(Interval, SelectMode.SelectRead))
            {
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                int n = _socket.ReceiveFrom(reply, ref from);
                int header = (reply[0] & 0x0F) * 4; // raw IPv4 sockets deliver the IP header first
                if (((IPEndPoint)from).Address.Equals(address) && n >= header + IcmpHeaderBytes && reply[header] == EchoReply
                    && BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(header + 4)) == _id)
                {
                    return true;
                }
            }
        }

        return false;
    }

    public void Dispose() => _socket.Dispose();

    private static Socket NewSocket() => new(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);

    private byte[] Request(ushort sequence)
    {
        byte[] packet = new byte[IcmpHeaderBytes + 8];
        packet[0] = EchoRequest;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), _id);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), sequence);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), Checksum(packet));
        return packet;
    }

    /// <summary>The Internet checksum (RFC 1071) over the ICMP message.</summary>
    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
