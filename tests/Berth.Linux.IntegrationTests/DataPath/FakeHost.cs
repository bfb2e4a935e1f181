using System.Buffers.Binary;
using Berth.Linux.Links;

namespace Berth.Linux.IntegrationTests.DataPath;

/// <summary>
/// A host that exists only as frames on a <see cref="TapQueue"/>: it answers ARP requests for its IPv4
/// address with a made-up MAC and ICMP echo requests with echo replies, so a real ping through the
/// kernel's bridge succeeds only if frames really flow both ways through the queue.
/// </summary>
internal sealed class FakeHost(TapQueue tap, byte[] address, byte[] mac)
{
    private const int Vnet = TapQueue.VnetHeaderBytes;
    private const int EthernetBytes = 14;
    private const ushort EtherTypeArp = 0x0806;
    private const ushort EtherTypeIPv4 = 0x0800;
    private const ushort ArpRequest = 1;
    private const ushort ArpReply = 2;
    private const byte ProtocolIcmp = 1;
    private const byte IcmpEchoRequest = 8;
    private const byte IcmpEchoReply = 0;

    public int ArpRequests { get; private set; }

    public int EchoRequests { get; private set; }

    /// <summary>Reads frames and answers them until <paramref name="cancellationToken"/> ends the wait (OperationCanceledException).</summary>
    public void Serve(CancellationToken cancellationToken)
    {
        byte[] frame = new byte[TapQueue.MaxFrameBytes];
        while (true)
        {
            int length = tap.Read(frame, cancellationToken);
            Span<byte> ethernet = frame.AsSpan(Vnet, length - Vnet);
            if (ethernet.Length < EthernetBytes)
            {
                continue;
            }

            // The answer is a plain frame with whole checksums: no offload flags, no GSO.
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(ethernet[12..]);
            frame.AsSpan(0, Vnet).Clear();
            if (type == EtherTypeArp && AnswerArp(ethernet))
            {
                ArpRequests++;
                tap.Write(frame.AsSpan(0, length));
            }
            else if (type == EtherTypeIPv4 && AnswerEcho(ethernet))
            {
                EchoRequests++;
                tap.Write(frame.AsSpan(0, length));
            }
        }
    }

    /// <summary>Turns an ARP request for our address into the reply, in place.</summary>
    private bool AnswerArp(Span<byte> ethernet)
    {
        Span<byte> arp = ethernet[EthernetBytes..];
        if (arp.Length < 28 || BinaryPrimitives.ReadUInt16BigEndian(arp[6..]) != ArpRequest || !arp.Slice(24, 4).SequenceEqual(address))
        {
            return false;
        }

        byte[] senderMac = arp.Slice(8, 6).ToArray();
        byte[] senderIp = arp.Slice(14, 4).ToArray();
        senderMac.CopyTo(ethernet);
        mac.CopyTo(ethernet[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], ArpReply);
        mac.CopyTo(arp[8..]);
        address.CopyTo(arp[14..]);
        senderMac.CopyTo(arp[18..]);
        senderIp.CopyTo(arp[24..]);
        return true;
    }

    /// <summary>Turns an ICMP echo request to our address into the reply, in place.</summary>
    private bool AnswerEcho(Span<byte> ethernet)
    {
        Span<byte> ip = ethernet[EthernetBytes..];
        int headerBytes = (ip[0] & 0x0f) * 4;
        int total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (ip[9] != ProtocolIcmp || !ip.Slice(16, 4).SequenceEqual(address) || ip[headerBytes] != IcmpEchoRequest)
        {
            return false;
        }

        byte[] peerMac = ethernet[6..12].ToArray();
        ethernet[..6].CopyTo(ethernet[6..]);
        peerMac.CopyTo(ethernet);
        byte[] peerIp = ip.Slice(12, 4).ToArray();
        address.CopyTo(ip[12..]);
        peerIp.CopyTo(ip[16..]); // swapping the addresses leaves the header checksum as it was
        Span<byte> icmp = ip[headerBytes..total];
        icmp[0] = IcmpEchoReply;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Berth.Linux.Probes.IcmpEcho.Checksum(icmp));
        return true;
    }
}
