using Berth.Network.Overlay.Sealed;

namespace Berth.Network.Tests.Overlay.Sealed;

/// <summary>The 24-byte header: the doc's layout byte for byte, and every field TryRead refuses.</summary>
public sealed class SealedHeaderTests
{
    [Fact]
    public void WritesTheDocumentedLayoutBigEndianAndReadsItBack()
    {
        var datagram = new byte[SealedHeader.Overhead];
        SealedHeader.Write(datagram, generation: 0x07, index: 2, count: 5, vni: 0xABCDEF, session: 0x0102030405060708, counter: 0x1112131415161718);

        Assert.Equal("0107020500ABCDEF01020304050607081112131415161718", Convert.ToHexString(datagram, 0, SealedHeader.Size));
        Assert.True(SealedHeader.TryRead(datagram, out var header));
        Assert.Equal(new SealedChunkHeader(7, 2, 5, 0xABCDEF, 0x0102030405060708, 0x1112131415161718), header);
        Assert.Equal(40, SealedHeader.Overhead);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("type")]
    [InlineData("count0")]
    [InlineData("count65")]
    [InlineData("index=count")]
    [InlineData("vni25bits")]
    public void TryReadRefusesEachBadField(string fault)
    {
        var datagram = new byte[SealedHeader.Overhead + 10];
        SealedHeader.Write(datagram, 1, 0, 1, 42, 9, 9);
        Assert.True(SealedHeader.TryRead(datagram, out _));

        byte[] bad = fault switch
        {
            "short" => datagram[..(SealedHeader.Overhead - 1)],
            "type" => With(datagram, 0, 2),
            "count0" => With(datagram, 3, 0),
            "count65" => With(datagram, 3, SealedHeader.MaxChunks + 1),
            "index=count" => With(With(datagram, 3, 4), 2, 4),
            "vni25bits" => With(datagram, 4, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };

        Assert.False(SealedHeader.TryRead(bad, out var header));
        Assert.Equal(default, header);
    }

    [Fact]
    public void AcceptsTheLimits()
    {
        var datagram = new byte[SealedHeader.Overhead];
        SealedHeader.Write(datagram, 255, SealedHeader.MaxChunks - 1, SealedHeader.MaxChunks, 0xFFFFFF, ulong.MaxValue, ulong.MaxValue);
        Assert.True(SealedHeader.TryRead(datagram, out var header));
        Assert.Equal(new SealedChunkHeader(255, 63, 64, 0xFFFFFF, ulong.MaxValue, ulong.MaxValue), header);
    }

    [Fact]
    public void WriteRefusesWhatTryReadWouldRefuse()
    {
        var destination = new byte[SealedHeader.Size];
        Assert.Throws<ArgumentOutOfRangeException>(() => SealedHeader.Write(destination, 1, 0, 0, 1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SealedHeader.Write(destination, 1, 3, 3, 1, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SealedHeader.Write(destination, 1, 0, 1, 0x1000000, 1, 1));
        Assert.Throws<ArgumentException>(() => SealedHeader.Write(new byte[SealedHeader.Size - 1], 1, 0, 1, 1, 1, 1));
    }

    private static byte[] With(byte[] datagram, int offset, int value)
    {
        var copy = datagram.ToArray();
        copy[offset] = (byte)value;
        return copy;
    }
}
