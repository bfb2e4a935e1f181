using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Linux.Namespaces;

namespace Berth.Linux.Probes;

/// <summary>
/// One ICMP echo (IPv4) sent from inside a network namespace over a raw socket, optionally with DF set and the path MTU
/// ignored (<c>IP_PMTUDISC_PROBE</c>), so a packet of exactly the size asked for leaves the interface or fails there:
/// what <c>ping -M probe -s N</c> does. The doctor's MTU probes and reachability checks use it.
/// </summary>
public static class IcmpEcho
{
    /// <summary>An IPv4 header without options (RFC 791) and an ICMP echo header (RFC 792).</summary>
    public const int Ipv4HeaderLength = 20;
    public const int IcmpHeaderLength = 8;

    private const byte EchoRequest = 8;
    private const byte EchoReply = 0;
    private const byte DestinationUnreachable = 3;
    private const byte FragmentationNeededCode = 4;

    // <linux/in.h>: IPPROTO_IP level, IP_MTU_DISCOVER, IP_PMTUDISC_DONT / IP_PMTUDISC_PROBE.
    private const int IpLevel = 0;
    private const int IpMtuDiscover = 10;
    private const int PmtuDiscoverDont = 0;
    private const int PmtuDiscoverProbe = 3;

    private const int ReceiveBuffer = 65536;
    private static int sequence;

    /// <summary>
    /// Sends one echo of <paramref name="packetSize"/> bytes (the whole IP packet, as an interface MTU counts it) to
    /// <paramref name="target"/> from <paramref name="netns"/> (null: berthd's own) and waits up to <paramref name="timeout"/>.
    /// </summary>
    public static async Task<IcmpEchoResult> SendAsync(NamespaceRunner runner, NetnsHandle? netns, IPAddress target, int packetSize, bool dontFragment,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new BerthException(ErrorKind.NotSupported, $"ICMP probes are IPv4 only; {target} is not");
        }

        if (packetSize is < Ipv4HeaderLength + IcmpHeaderLength or > ushort.MaxValue)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"an echo of {packetSize} bytes cannot be sent: from {Ipv4HeaderLength + IcmpHeaderLength} to {ushort.MaxValue}");
        }

        using Socket socket = await NamespaceSockets.OpenAsync(runner, netns, AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp, cancellationToken).ConfigureAwait(false);
        Span<byte> mode = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(mode, dontFragment ? PmtuDiscoverProbe : PmtuDiscoverDont);
        socket.SetRawSocketOption(IpLevel, IpMtuDiscover, mode);

        ushort id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
        ushort seq = (ushort)Interlocked.Increment(ref sequence);
        byte[] request = Request(packetSize - Ipv4HeaderLength, id, seq);
        long started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.SendToAsync(request, SocketFlags.None, new IPEndPoint(target, 0), deadline.Token).ConfigureAwait(false);
            byte[] buffer = new byte[ReceiveBuffer];
            while (true)
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), deadline.Token).ConfigureAwait(false);
                if (Match(buffer.AsSpan(0, received.ReceivedBytes), target, id, seq) is { } result)
                {
                    return result.Outcome == IcmpEchoOutcome.Reply ? result with { RoundTrip = Stopwatch.GetElapsedTime(started) } : result;
                }
            }
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.MessageSize)
        {
            return new IcmpEchoResult(IcmpEchoOutcome.TooBigToSend);
        }
        catch (SocketException error) when (error.SocketErrorCode is SocketError.HostUnreachable or SocketError.NetworkUnreachable)
        {
            return new IcmpEchoResult(IcmpEchoOutcome.Unreachable);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new IcmpEchoResult(IcmpEchoOutcome.Timeout);
        }
    }

    /// <summary>An echo request: type 8, code 0, checksum, id, sequence, then a counting pattern.</summary>
    internal static byte[] Request(int icmpLength, ushort id, ushort seq)
    {
        byte[] packet = new byte[icmpLength];
        packet[0] = EchoRequest;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), seq);
        for (int i = IcmpHeaderLength; i < packet.Length; i++)
        {
            packet[i] = (byte)i;
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), Checksum(packet));
        return packet;
    }

    /// <summary>The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words.</summary>
    internal static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        int i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)(data[i] << 8);
        }

        while (sum > ushort.MaxValue)
        {
            sum = (sum & ushort.MaxValue) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    /// <summary>
    /// What a received IP packet says about our echo: a reply from the target with our id and sequence, or an ICMP
    /// error quoting our request; null for anything else (a raw socket sees every ICMP packet of its namespace).
    /// </summary>
    internal static IcmpEchoResult? Match(ReadOnlySpan<byte> ip, IPAddress target, ushort id, ushort seq)
    {
        if (ip.Length < Ipv4HeaderLength + IcmpHeaderLength)
        {
            return null;
        }

        int headerLength = (ip[0] & 0xF) * 4;
        if (ip.Length < headerLength + IcmpHeaderLength)
        {
            return null;
        }

        var icmp = ip[headerLength..];
        if (icmp[0] == EchoReply)
        {
            bool ours = new IPAddress(ip.Slice(12, 4)).Equals(target) && BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]) == id && BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]) == seq;
            return ours ? new IcmpEchoResult(IcmpEchoOutcome.Reply) : null;
        }

        if (icmp[0] != DestinationUnreachable || icmp.Length < IcmpHeaderLength + Ipv4HeaderLength + IcmpHeaderLength)
        {
            return null;
        }

        // The error quotes our request's IP header and at least its first 8 bytes (RFC 792).
        var quoted = icmp[IcmpHeaderLength..];
        int quotedHeader = (quoted[0] & 0xF) * 4;
        if (quoted.Length < quotedHeader + IcmpHeaderLength || !new IPAddress(quoted.Slice(16, 4)).Equals(target))
        {
            return null;
        }

        var quotedIcmp = quoted[quotedHeader..];
        if (quotedIcmp[0] != EchoRequest || BinaryPrimitives.ReadUInt16BigEndian(quotedIcmp[4..]) != id || BinaryPrimitives.ReadUInt16BigEndian(quotedIcmp[6..]) != seq)
        {
            return null;
        }

        return icmp[1] == FragmentationNeededCode
            ? new IcmpEchoResult(IcmpEchoOutcome.FragmentationNeeded, NextHopMtu: BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]))
            : new IcmpEchoResult(IcmpEchoOutcome.Unreachable);
    }
}
