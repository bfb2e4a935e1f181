using System.Net;
using Berth.Linux.Links;
using Berth.Linux.Netlink;

namespace Berth.Linux.Tests.Netlink;

public sealed class NetlinkMessageWriterTests
{
    [Fact]
    public void BridgeCreateMessageMatchesTheKernelLayoutByteForByte()
    {
        var writer = new NetlinkMessageWriter();
        LinkMessages.WriteCreate(writer, 1, new BridgeSpec("br0") { Up = true }, new LinkSpec.ResolvedLinks(_ => throw new InvalidOperationException()));

        string expected =
            "3C000000" + "1000" + "0506" + "01000000" + "00000000" // nlmsghdr: len 60, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE, seq 1
            + "00" + "00" + "0000" + "00000000" + "01000000" + "01000000" // ifinfomsg: flags IFF_UP, change IFF_UP
            + "0800" + "0300" + "62723000" // IFLA_IFNAME "br0\0"
            + "1400" + "1280" // IFLA_LINKINFO | NLA_F_NESTED, 20 bytes
            + "0B00" + "0100" + "6272696467650000" // IFLA_INFO_KIND "bridge\0" + 1 pad byte
            + "0400" + "0280"; // IFLA_INFO_DATA | NLA_F_NESTED, empty
        Assert.Equal(expected, Convert.ToHexString(writer.Written));
        Assert.Equal([1u], writer.Sequences);
    }

    [Fact]
    public void VethPeerIsAnEmbeddedIfinfomsgWithItsOwnAttributes()
    {
        var writer = new NetlinkMessageWriter();
        LinkMessages.WriteCreate(writer, 7, new VethSpec("vh0", "eth0") { Mtu = 1400 }, new LinkSpec.ResolvedLinks(_ => 0));
        var bytes = writer.Written;
        var buffer = bytes;
        Assert.True(NetlinkMessageParser.TryRead(ref buffer, out var message));
        Assert.Equal(NetlinkMessageType.NewLink, message.Type);
        Assert.Equal(bytes.Length, message.Payload.Length + 16);

        string? kind = null;
        string? peerName = null;
        uint peerMtu = 0;
        foreach (var attribute in message.Attributes(IfInfoMessage.Size))
        {
            if (attribute.Type != LinkAttributes.LinkInfo)
            {
                continue;
            }

            foreach (var info in attribute.Nested)
            {
                if (info.Type == LinkAttributes.InfoKind)
                {
                    kind = info.String;
                }
                else if (info.Type == LinkAttributes.InfoData)
                {
                    foreach (var data in info.Nested)
                    {
                        Assert.Equal(LinkAttributes.VethPeer, data.Type);

                        // VETH_INFO_PEER is not flagged nested: an ifinfomsg comes first.
                        foreach (var peer in new NetlinkAttributeReader(data.Payload[IfInfoMessage.Size..]))
                        {
                            if (peer.Type == LinkAttributes.IfName)
                            {
                                peerName = peer.String;
                            }
                            else if (peer.Type == LinkAttributes.Mtu)
                            {
                                peerMtu = peer.U32;
                            }
                        }
                    }
                }
            }
        }

        Assert.Equal("veth", kind);
        Assert.Equal("eth0", peerName);
        Assert.Equal(1400u, peerMtu);
    }

    [Fact]
    public void VxlanPortIsBigEndianAndVniLittleEndian()
    {
        var writer = new NetlinkMessageWriter();
        var spec = new VxlanSpec("vx0", 4242) { Local = IPAddress.Parse("10.201.0.1"), Learning = false };
        LinkMessages.WriteCreate(writer, 1, spec, new LinkSpec.ResolvedLinks(_ => 0));
        string hex = Convert.ToHexString(writer.Written);
        Assert.Contains("08000100" + "92100000", hex, StringComparison.Ordinal); // IFLA_VXLAN_ID 4242 (0x1092) LE
        Assert.Contains("06000F00" + "12B5", hex, StringComparison.Ordinal); // IFLA_VXLAN_PORT 4789 (0x12B5) BE
        Assert.Contains("08000400" + "0AC90001", hex, StringComparison.Ordinal); // IFLA_VXLAN_LOCAL 10.201.0.1
        Assert.Contains("05000700" + "00", hex, StringComparison.Ordinal); // IFLA_VXLAN_LEARNING 0
    }

    [Fact]
    public void SeveralMessagesShareOneBufferEachAligned()
    {
        var writer = new NetlinkMessageWriter();
        writer.BeginMessage(NetlinkMessageType.GetLink, NetlinkFlags.None, 10);
        writer.WriteString(3, "a"); // 4 + 2 = 6, padded to 8
        writer.EndMessage();
        writer.BeginMessage(NetlinkMessageType.GetLink, NetlinkFlags.None, 11);
        writer.WriteU8(1, 5);
        writer.EndMessage();

        Assert.Equal(16 + 8 + 16 + 8, writer.Written.Length);
        var buffer = writer.Written;
        Assert.True(NetlinkMessageParser.TryRead(ref buffer, out var first));
        Assert.Equal(10u, first.Sequence);
        Assert.True(NetlinkMessageParser.TryRead(ref buffer, out var second));
        Assert.Equal(11u, second.Sequence);
        Assert.False(NetlinkMessageParser.TryRead(ref buffer, out _));
    }

    [Fact]
    public void NestedAttributeLengthCoversItsChildren()
    {
        var writer = new NetlinkMessageWriter();
        writer.BeginMessage(NetlinkMessageType.NewLink, NetlinkFlags.None, 1);
        var outer = writer.BeginNested(18);
        writer.WriteU32(1, 0xAABBCCDD);
        var inner = writer.BeginNested(2);
        writer.WriteU16(3, 0x0102);
        writer.EndNested(inner);
        writer.EndNested(outer);
        writer.EndMessage();

        Assert.Equal(
            "28000000" + "1000" + "0100" + "01000000" + "00000000"
            + "1800" + "1280"
            + "0800" + "0100" + "DDCCBBAA"
            + "0C00" + "0280" + "0600" + "0300" + "0201" + "0000",
            Convert.ToHexString(writer.Written));
    }

    [Fact]
    public void EndingAMessageThatWasNotBegunIsABug()
    {
        var writer = new NetlinkMessageWriter();
        Assert.Throws<InvalidOperationException>(writer.EndMessage);
        writer.BeginMessage(NetlinkMessageType.GetLink, NetlinkFlags.None, 1);
        Assert.Throws<InvalidOperationException>(() => writer.BeginMessage(NetlinkMessageType.GetLink, NetlinkFlags.None, 2));
    }
}
