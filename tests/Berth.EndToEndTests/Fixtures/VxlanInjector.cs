using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Berth.Linux.Namespaces;

namespace Berth.EndToEndTests.Fixtures;

/// <summary>
/// Sends forged datagrams from inside a lab namespace: plain VXLAN frames (RFC 7348) carrying a UDP datagram to a
/// container, as anyone on the underlay could, and raw UDP payloads (captured ones, to replay) from a chosen address.
/// </summary>
public static class VxlanInjector
{
    /// <summary>
    /// A VXLAN datagram to <paramref name="vtep"/>:4789 with <paramref name="vni"/>, holding an Ethernet frame to
    /// <paramref name="mac"/> with an IPv4/UDP datagram from <paramref name="source"/>:5555 to
    /// <paramref name="destination"/>:<paramref name="port"/> carrying <paramref name="payload"/>.
    /// </summary>
    public static void SendVxlan(string netnsPath, IPAddress vtep, uint vni, PhysicalAddress mac, IPAddress source, IPAddress destination, int port, byte[] payload)
    {
        var frame = new byte[8 + 14 + 20 + 8 + payload.Length];
        var span = frame.AsSpan();
        span[0] = 0x08; // I flag: the VNI is valid
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], vni << 8);
        var ethernet = span[8..];
        mac.GetAddressBytes().CopyTo(ethernet);
        ((byte[])[0x02, 0xde, 0xad, 0xbe, 0xef, 0x01]).CopyTo(ethernet[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(ethernet[12..], 0x0800);
        var ip = ethernet[14..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + payload.Length));
        ip[8] = 64;
        ip[9] = 17;
        source.GetAddressBytes().CopyTo(ip[12..]);
        destination.GetAddressBytes().CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip[..20]));
        var udp = ip[20..];
        BinaryPrimitives.WriteUInt16BigEndian(udp, 5555);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)port);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        payload.CopyTo(udp[8..]);
        SendFrom(netnsPath, null, new IPEndPoint(vtep, 4789), [frame]);
    }

    /// <summary>Sends <paramref name="datagrams"/> to <paramref name="to"/> from a socket in <paramref name="netnsPath"/> bound to <paramref name="from"/> (any address if null).</summary>
    public static void SendFrom(string netnsPath, IPAddress? from, IPEndPoint to, IEnumerable<byte[]> datagrams)
    {
        using var netns = NetnsHandle.Open(netnsPath);
        using var socket = NamespaceRunner.Shared.Run(netns, () =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(from ?? IPAddress.Any, 0));
            return s;
        });
        foreach (var datagram in datagrams)
        {
            socket.SendTo(datagram, to);
        }
    }

    private static ushort Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
