using Berth.Network.Overlay.Sealed;
using CsCheck;

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

    [Fact]
    public void ASessionMadeForALaneIsInThatLaneAndKeepsItsRandomBits()
    {
        var cases = from random in Gen.ULong
                    from lanes in Gen.Int[1, SealedPath.MaxWorkers]
                    from lane in Gen.Int[0, lanes - 1]
                    select (random, lanes, lane);
        cases.Sample((random, lanes, lane) =>
        {
            ulong session = SealedHeader.SessionIn(random, lane, lanes);
            Assert.Equal(lane, SealedHeader.LaneOf(session, lanes));
            Assert.Equal(random >> 32, session >> 32);
            Assert.True(Math.Abs((long)(uint)session - (uint)random) < lanes, $"{random:X} became {session:X}");
        });

        // The lane is the low 32 bits of the session, where the kernel's steering program reads it (bytes 12–15).
        var datagram = new byte[SealedHeader.Overhead];
        SealedHeader.Write(datagram, 1, 0, 1, 42, session: 0xAAAAAAAA_00000007, counter: 0);
        Assert.Equal(7u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(SealedHeader.SteeringWordOffset)));
        Assert.Equal(1, SealedHeader.LaneOf(0xAAAAAAAA_00000007, 3));
        Assert.Equal(3, SealedHeader.LaneOf(SealedHeader.SessionIn(ulong.MaxValue, 3, 4), 4));
        Assert.Equal(uint.MaxValue - 1, (uint)SealedHeader.SessionIn(ulong.MaxValue, 2, 4));
        Assert.Equal(uint.MaxValue - 1, (uint)SealedHeader.SessionIn(ulong.MaxValue, 2, 3)); // past the top: one round down
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
