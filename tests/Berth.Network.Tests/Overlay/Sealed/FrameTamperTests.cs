using Berth.Network.Overlay.Sealed;
using static Berth.Network.Tests.Overlay.Sealed.SealedLab;

namespace Berth.Network.Tests.Overlay.Sealed;

/// <summary>Changed, misdirected, oversized and replayed datagrams: refused, and the real ones still arrive after.</summary>
public sealed class FrameTamperTests
{
    private static readonly OverlayKeyRing Ring = OverlayKeyRing.New(T0);
    private static readonly OpenResult[] Refusals = [OpenResult.Unauthentic, OpenResult.Malformed, OpenResult.UnknownKey];

    [Fact]
    public void AnyFlippedBitIsRefusedAndTheAuthenticDatagramsStillArrive()
    {
        using var sealer = new FrameSealer(Ring.Keys[0], VtepA, VtepB);
        using var opener = Opener(Ring);
        var frame = Frame(150);
        var datagrams = Seal(sealer, frame, datagramSize: 100); // chunks of 60, 60 and 30 bytes

        foreach (var datagram in datagrams)
        {
            for (var bit = 0; bit < datagram.Length * 8; bit++)
            {
                var result = Open(opener, Flipped(datagram, bit));
                Assert.True(Refusals.Contains(result), $"bit {bit}: {result}");
            }
        }

        Assert.Equal(0, opener.SessionCount); // no forgery got a session cached
        var (_, frames) = OpenAll(opener, datagrams);
        Assert.Equal(frame, Assert.Single(frames));
    }

    [Fact]
    public void AForgedChunkOfAFrameUnderWayNeitherSpoilsNorEndsIt()
    {
        using var sealer = new FrameSealer(Ring.Keys[0], VtepA, VtepB);
        using var opener = Opener(Ring);
        var frame = Frame(150);
        var datagrams = Seal(sealer, frame, datagramSize: 100);

        Assert.Equal(OpenResult.Pending, Open(opener, datagrams[0]));
        // Ciphertext and tag bits only: the header still names the frame, so these decrypt into its buffer.
        for (var bit = SealedHeader.Size * 8; bit < datagrams[1].Length * 8; bit += 7)
        {
            Assert.Equal(OpenResult.Unauthentic, Open(opener, Flipped(datagrams[1], bit)));
        }

        var (_, frames) = OpenAll(opener, datagrams[1..]);
        Assert.Equal(frame, Assert.Single(frames));
    }

    [Fact]
    public void AnotherVniInTheHeaderIsUnauthentic()
    {
        using var sealer = new FrameSealer(Ring.Keys[0], VtepA, VtepB);
        using var opener = Opener(Ring);
        var datagram = Seal(sealer, Frame(100))[0];

        var moved = datagram.ToArray();
        moved[7] ^= 1; // VNI 4097 → 4096: the frame aimed at another network

        Assert.Equal(OpenResult.Unauthentic, Open(opener, moved));
        Assert.Equal(OpenResult.Delivered, Open(opener, datagram));
    }

    [Fact]
    public void AnotherPairsDatagramIsUnauthentic()
    {
        using var sealer = new FrameSealer(Ring.Keys[0], VtepA, VtepB);
        using var atB = Opener(Ring, VtepB);
        using var atC = Opener(Ring, VtepC);
        var datagram = Seal(sealer, Frame(100))[0];

        Assert.Equal(OpenResult.Unauthentic, Open(atC, datagram, sender: VtepA)); // sent on to another node
        Assert.Equal(OpenResult.Unauthentic, Open(atB, datagram, sender: VtepC)); // claimed by another sender
        Assert.Equal(OpenResult.Unauthentic, Open(Opener(Ring, VtepA), datagram, sender: VtepB)); // reflected back
        Assert.Equal(OpenResult.Delivered, Open(atB, datagram, sender: VtepA));
    }

    [Fact]
    public void AFrameLargerThanTheOpenersLargestIsMalformed()
    {
        using var sealer = new FrameSealer(Ring.Keys[0], VtepA, VtepB);
        using var opener = Opener(Ring, maxFrame: 2000);
        var datagrams = Seal(sealer, Frame(3000)); // 1432 + 1432 + 136

        // A first chunk of 1432 shows the frame is at least 2 × 1432 + 1; a last chunk of 136 alone cannot tell.
        Assert.Equal(OpenResult.Malformed, Open(opener, datagrams[0]));
        Assert.Equal(OpenResult.Pending, Open(opener, datagrams[2]));
        Assert.Equal(OpenResult.Malformed, Open(opener, datagrams[1]));
        Assert.Equal(OpenResult.Malformed, Open(opener, datagrams[0]));
        var fits = Frame(2000); // 1432 + 568: exactly the largest
        Assert.Equal(fits, Assert.Single(OpenAll(opener, Seal(sealer, fits)).Frames));
    }

    [Fact]
    public void ATooShortOrForeignDatagramIsMalformed()
    {
        using var opener = Opener(Ring);
        Assert.Equal(OpenResult.Malformed, Open(opener, new byte[SealedHeader.Overhead - 1]));
        Assert.Equal(OpenResult.Malformed, Open(opener, new byte[200])); // type 0: e.g. plain VXLAN flags

        var empty = new byte[SealedHeader.Overhead];
        SealedHeader.Write(empty, 1, 0, 1, Vni, 1, 1);
        Assert.Equal(OpenResult.Malformed, Open(opener, empty)); // a sealer never sends an empty chunk
    }

    [Fact]
    public void AFifthFrameUnderWayEvictsTheOldestOfItsSession()
    {
        using var sealer = new FrameSealer(Ring.Keys[0], VtepA, VtepB);
        using var opener = Opener(Ring);
        var frames = Enumerable.Range(0, 5).Select(i => Frame(3000, i)).ToList();
        var sealedFrames = frames.Select(f => Seal(sealer, f)).ToList();

        foreach (var datagrams in sealedFrames)
        {
            Assert.Equal(OpenResult.Pending, Open(opener, datagrams[0]));
        }

        Assert.Equal(OpenerSession.MaxPartialFrames, opener.PartialFrameCount);
        var (_, delivered) = OpenAll(opener, sealedFrames[1..].SelectMany(d => d[1..]));
        Assert.Equal(frames[1..].Select(Convert.ToHexString), delivered.Select(Convert.ToHexString));

        // Frame 0 lost its first chunk with its buffer: its other chunks start it again, and it never completes.
        Assert.Equal([OpenResult.Pending, OpenResult.Pending], OpenAll(opener, sealedFrames[0][1..]).Results);
    }

    [Fact]
    public void SessionsBeyondTheBoundEvictTheLeastRecentlyUsed()
    {
        using var opener = Opener(Ring);
        using var kept = new FrameSealer(Ring.Keys[0], VtepA, VtepB);
        var first = Seal(kept, Frame(10))[0];
        Assert.Equal(OpenResult.Delivered, Open(opener, first));

        for (var i = 0; i < FrameOpener.MaxSessions; i++)
        {
            using var sealer = new FrameSealer(Ring.Keys[0], VtepA, VtepB);
            Assert.Equal(OpenResult.Delivered, Open(opener, Seal(sealer, Frame(10))[0]));
            if (i == FrameOpener.MaxSessions / 2)
            {
                Assert.Equal(OpenResult.Delivered, Open(opener, Seal(kept, Frame(10))[0])); // used again: not the oldest
            }
        }

        Assert.Equal(FrameOpener.MaxSessions, opener.SessionCount);
        Assert.Equal(OpenResult.Replayed, Open(opener, first)); // still cached: its window remembers
        Assert.Equal(FrameOpener.MaxSessions, opener.SessionCount);
    }

    private static byte[] Flipped(byte[] datagram, int bit)
    {
        var copy = datagram.ToArray();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }
}
