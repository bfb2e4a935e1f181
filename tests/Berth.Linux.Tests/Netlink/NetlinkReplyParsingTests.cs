using System.Buffers.Binary;
using System.Text;
using Berth.Linux.Events;
using Berth.Linux.Links;
using Berth.Linux.Netlink;

namespace Berth.Linux.Tests.Netlink;

public sealed class NetlinkReplyParsingTests
{
    [Fact]
    public void ErrorWithExtendedAckCarriesTheKernelText()
    {
        // nlmsgerr: -ERANGE, the capped original header, then NLMSGERR_ATTR_MSG.
        var text = Encoding.ASCII.GetBytes("Attribute failed policy validation\0");
        int attributeLength = 4 + text.Length;
        var payload = new byte[4 + 16 + ((attributeLength + 3) & ~3)];
        BinaryPrimitives.WriteInt32LittleEndian(payload, -34);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), 40); // original length (ignored when capped)
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(20), (ushort)attributeLength);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(22), 1);
        text.CopyTo(payload, 24);
        var message = new NetlinkMessage(NetlinkMessageType.Error, NetlinkFlags.Capped | NetlinkFlags.AckTlvs, 5, 0, payload);

        var (errno, kernelText) = NetlinkMessageParser.ReadError(message);

        Assert.Equal(34, errno);
        Assert.Equal("Attribute failed policy validation", kernelText);
    }

    [Fact]
    public void AckIsErrorZeroWithoutText()
    {
        var payload = new byte[20];
        var message = new NetlinkMessage(NetlinkMessageType.Error, NetlinkFlags.Capped, 5, 0, payload);
        Assert.Equal((0, (string?)null), NetlinkMessageParser.ReadError(message));
    }

    [Fact]
    public void NewLinkEventIsDecodedWithKindAndMaster()
    {
        var writer = new NetlinkMessageWriter();
        writer.BeginMessage(NetlinkMessageType.NewLink, NetlinkFlags.None, 0);
        writer.WriteStruct(new IfInfoMessage { Index = 7, Flags = (uint)(LinkFlags.Up | LinkFlags.LowerUp) });
        writer.WriteString(LinkAttributes.IfName, "vh1");
        writer.WriteU32(LinkAttributes.Mtu, 1500);
        writer.WriteU32(LinkAttributes.Master, 3);
        writer.WriteAttribute(LinkAttributes.Address, [2, 0, 0, 0, 0, 1]);
        var info = writer.BeginNested(LinkAttributes.LinkInfo);
        writer.WriteString(LinkAttributes.InfoKind, "veth");
        writer.EndNested(info);
        writer.EndMessage();

        var events = NetlinkMonitor.Parse(writer.Written);

        var linkEvent = Assert.IsType<LinkEvent>(Assert.Single(events));
        Assert.False(linkEvent.Removed);
        Assert.Equal(7, linkEvent.Link.Index);
        Assert.Equal("vh1", linkEvent.Link.Name);
        Assert.Equal("veth", linkEvent.Link.Kind);
        Assert.Equal(3, linkEvent.Link.MasterIndex);
        Assert.Equal(1500, linkEvent.Link.Mtu);
        Assert.True(linkEvent.Link.IsUp);
        Assert.Equal("020000000001", linkEvent.Link.MacAddress!.ToString());
    }

    [Fact]
    public void TruncatedMessageIsRejected()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 64);
        ReadOnlySpan<byte> buffer = bytes;
        try
        {
            NetlinkMessageParser.TryRead(ref buffer, out _);
            Assert.Fail("a message longer than its buffer must be rejected");
        }
        catch (InvalidDataException)
        {
        }
    }

    [Fact]
    public void AttributeReaderStopsAtAMalformedLength()
    {
        byte[] bytes = [8, 0, 1, 0, 1, 2, 3, 4, 200, 0, 2, 0];
        var types = new List<ushort>();
        foreach (var attribute in new NetlinkAttributeReader(bytes))
        {
            types.Add(attribute.Type);
        }

        Assert.Equal([(ushort)1], types);
    }
}
