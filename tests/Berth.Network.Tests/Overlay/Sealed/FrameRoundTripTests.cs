using Berth.Network.Overlay.Sealed;
using CsCheck;
using static Berth.Network.Tests.Overlay.Sealed.SealedLab;

namespace Berth.Network.Tests.Overlay.Sealed;

/// <summary>Frames of 1 byte to 65,550 sealed into datagrams and opened again, in any order, exactly once.</summary>
public sealed class FrameRoundTripTests
{
    private static readonly OverlayKeyRing Ring = OverlayKeyRing.New(T0);

    public static TheoryData<int, int> Sizes()
    {
        var data = new TheoryData<int, int>();
        foreach (var datagram in new[] { IPv4Datagram, IPv6Datagram })
        {
            var chunk = datagram - SealedHeader.Overhead;
            foreach (var frame in new[] { 1, 14, 60, chunk - 1, chunk, chunk + 1, 1500, 2 * chunk, 9010, 64_000, 65_536, FrameOpener.DefaultMaxFrame })
            {
                data.Add(frame, datagram);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void EveryFrameIsDeliveredOnceAtItsLastChunkAndEveryCopyIsAReplay(int length, int datagramSize)
    {
        using var sealer = new FrameSealer(Ring.Keys[0], VtepA, VtepB);
        using var opener = Opener(Ring);
        var frame = Frame(length);

        var datagrams = Seal(sealer, frame, datagramSize);
        var (results, frames) = OpenAll(opener, datagrams);

        var chunk = datagramSize - SealedHeader.Overhead;
        Assert.Equal((length + chunk - 1) / chunk, datagrams.Count);
        Assert.All(datagrams[..^1], d => Assert.Equal(datagramSize, d.Length));
        Assert.InRange(datagrams[^1].Length, SealedHeader.Overhead + 1, datagramSize);
        Assert.Equal([.. Enumerable.Repeat(OpenResult.Pending, datagrams.Count - 1), OpenResult.Delivered], results);
        Assert.Equal(frame, Assert.Single(frames));

        Assert.All(OpenAll(opener, datagrams).Results, r => Assert.Equal(OpenResult.Replayed, r));
        Assert.Equal(0, opener.PartialFrameCount);
    }

    [Fact]
    public void ChunksInAnyOrderMakeTheFrameOnceAndDuplicatesAreReplays()
    {
        var cases =
            from length in Gen.Int[1, FrameOpener.DefaultMaxFrame]
            from datagramSize in Gen.OneOf(IPv4Datagram, IPv6Datagram)
            let count = (length + datagramSize - SealedHeader.Overhead - 1) / (datagramSize - SealedHeader.Overhead)
            from order in Gen.Shuffle(Enumerable.Range(0, 2 * count).Select(i => i % count).ToArray())
            select (length, datagramSize, order);

        cases.Sample((length, datagramSize, order) =>
        {
            using var sealer = new FrameSealer(Ring.Keys[0], VtepA, VtepB);
            using var opener = Opener(Ring);
            var frame = Frame(length);
            var datagrams = Seal(sealer, frame, datagramSize);

            var (results, frames) = OpenAll(opener, order.Select(i => datagrams[i]));

            Assert.Equal(frame, Assert.Single(frames));
            Assert.Equal(datagrams.Count, results.Count(r => r == OpenResult.Replayed));
            Assert.Equal(datagrams.Count - 1, results.Count(r => r == OpenResult.Pending));
        }, iter: 60, threads: 1);
    }

    [Theory]
    [InlineData(3000)] // kept at the buffer's end, then moved to 2 × 1432
    [InlineData(FrameOpener.DefaultMaxFrame)] // kept at the buffer's end, which is its place
    public void ALastChunkArrivingFirstIsKeptAsideUntilItsPlaceIsKnown(int length)
    {
        using var sealer = new FrameSealer(Ring.Keys[0], VtepA, VtepB);
        using var opener = Opener(Ring);
        var frame = Frame(length);
        var datagrams = Seal(sealer, frame);

        var order = new List<byte[]> { datagrams[^1] };
        order.AddRange(datagrams[..^1].AsEnumerable().Reverse());
        var (_, frames) = OpenAll(opener, order);

        Assert.Equal(frame, Assert.Single(frames));
    }

    [Fact]
    public void InterleavedFramesOfTwoSealersOfOnePairAllArrive()
    {
        using var first = new FrameSealer(Ring.Keys[0], VtepA, VtepB);
        using var second = new FrameSealer(Ring.Keys[0], VtepA, VtepB);
        using var opener = Opener(Ring);
        Assert.NotEqual(first.Session, second.Session);

        var frames = Enumerable.Range(0, 8).Select(i => Frame(3000 + i, i)).ToList();
        var sealedFrames = frames.Select((f, i) => Seal(i % 2 == 0 ? first : second, f)).ToList();
        var interleaved = Enumerable.Range(0, 3).SelectMany(c => sealedFrames.Select(d => d[c]));

        var (_, delivered) = OpenAll(opener, interleaved);

        Assert.Equal(frames.Select(Convert.ToHexString).Order(), delivered.Select(Convert.ToHexString).Order());
        Assert.Equal(2, opener.SessionCount);
    }

    [Fact]
    public void ChunksCarryConsecutiveCountersOfOneSession()
    {
        using var sealer = new FrameSealer(Ring.Keys[0], VtepA, VtepB);

        var headers = new[] { 3000, 10, 5000 }.SelectMany(n => Seal(sealer, Frame(n))).Select(d =>
        {
            Assert.True(SealedHeader.TryRead(d, out var header));
            return header;
        }).ToList();

        Assert.Equal([.. Enumerable.Range(0, headers.Count).Select(i => (ulong)i)], headers.Select(h => h.Counter));
        Assert.All(headers, h => Assert.Equal(sealer.Session, h.Session));
        Assert.All(headers, h => Assert.Equal(Vni, h.Vni));
        Assert.Equal([0, 1, 2, 0, 0, 1, 2, 3], headers.Select(h => (int)h.Index));
        Assert.Equal([3, 3, 3, 1, 4, 4, 4, 4], headers.Select(h => (int)h.Count));
    }
}
