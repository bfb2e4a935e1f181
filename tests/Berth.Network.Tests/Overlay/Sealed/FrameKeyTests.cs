using Berth.Network.Overlay.Sealed;
using static Berth.Network.Tests.Overlay.Sealed.SealedLab;

namespace Berth.Network.Tests.Overlay.Sealed;

/// <summary>Which ring keys a receiver accepts as the ring rotates, and the sealer's own limits.</summary>
public sealed class FrameKeyTests
{
    [Fact]
    public void AReceiverWithoutTheGenerationAnswersUnknownKey()
    {
        var ring = OverlayKeyRing.New(T0);
        using var sealer = new FrameSealer(ring.Keys[0], VtepA, VtepB);
        var datagram = Seal(sealer, Frame(100))[0];

        using var noRing = new FrameOpener(VtepB);
        Assert.Equal(OpenResult.UnknownKey, Open(noRing, datagram));

        using var otherRing = Opener(OverlayKeyRing.New(T0).Rotate(T0)); // generations 1 and 2, other keys
        var future = datagram.ToArray();
        future[1] = 3;
        Assert.Equal(OpenResult.UnknownKey, Open(otherRing, future));
        Assert.Equal(OpenResult.Unauthentic, Open(otherRing, datagram)); // generation 1 there is another key
    }

    [Fact]
    public void ASealerOnTheOldKeyStillOpensAfterOneRotationButNotAfterFour()
    {
        var ring = OverlayKeyRing.New(T0);
        using var sealer = new FrameSealer(ring.Keys[0], VtepA, VtepB);
        using var opener = Opener(ring);
        Assert.Equal(OpenResult.Delivered, Open(opener, Seal(sealer, Frame(100))[0]));

        ring = ring.Rotate(T0.AddHours(12));
        opener.SetRing(ring);
        Assert.Equal(OpenResult.Delivered, Open(opener, Seal(sealer, Frame(100))[0]));
        using var newer = new FrameSealer(ring.SendKey(T0.AddHours(13), TimeSpan.FromMinutes(5)), VtepA, VtepB);
        Assert.Equal(2u, newer.Key.Generation);
        Assert.Equal(OpenResult.Delivered, Open(opener, Seal(newer, Frame(100))[0]));
        Assert.Equal(2, opener.SessionCount);

        for (var i = 2; i <= 4; i++)
        {
            ring = ring.Rotate(T0.AddHours(12 * i));
        }

        opener.SetRing(ring); // generations 3, 4, 5
        Assert.Equal(OpenResult.UnknownKey, Open(opener, Seal(sealer, Frame(100))[0]));
        Assert.Equal(0, opener.SessionCount); // both sessions' keys are gone from the ring
    }

    [Fact]
    public void ARingWithAnotherKeyUnderTheSameGenerationDropsTheCachedSession()
    {
        var ring = OverlayKeyRing.New(T0);
        using var sealer = new FrameSealer(ring.Keys[0], VtepA, VtepB);
        using var opener = Opener(ring);
        Assert.Equal(OpenResult.Delivered, Open(opener, Seal(sealer, Frame(100))[0]));

        opener.SetRing(OverlayKeyRing.New(T0)); // the store's ring made anew: generation 1 again, another key

        Assert.Equal(OpenResult.Unauthentic, Open(opener, Seal(sealer, Frame(100))[0]));
        Assert.Equal(0, opener.SessionCount);
    }

    [Fact]
    public void SetRingFromAnotherThreadIsTakenAtTheNextOpen()
    {
        var ring = OverlayKeyRing.New(T0);
        using var sealer = new FrameSealer(ring.Keys[0], VtepA, VtepB);
        using var opener = new FrameOpener(VtepB);

        var setter = new Thread(() => opener.SetRing(ring));
        setter.Start();
        setter.Join();

        Assert.Equal(OpenResult.Delivered, Open(opener, Seal(sealer, Frame(100))[0]));
    }

    [Fact]
    public void SealRefusesWhatCannotBeSent()
    {
        var ring = OverlayKeyRing.New(T0);
        using var sealer = new FrameSealer(ring.Keys[0], VtepA, VtepB);
        var output = new byte[SealedHeader.MaxChunks * 100];
        var lengths = new int[SealedHeader.MaxChunks];

        Assert.Throws<ArgumentException>(() => sealer.Seal(new byte[(60 * SealedHeader.MaxChunks) + 1], Vni, 100, output, lengths)); // 65 chunks
        Assert.Equal(SealedHeader.MaxChunks, sealer.Seal(new byte[60 * SealedHeader.MaxChunks], Vni, 100, output, lengths));
        Assert.Throws<ArgumentException>(() => sealer.Seal(new byte[200], Vni, 100, output.AsSpan(0, 199), lengths));
        Assert.Throws<ArgumentException>(() => sealer.Seal(new byte[200], Vni, 100, output, lengths.AsSpan(0, 3)));
        Assert.Throws<ArgumentException>(() => sealer.Seal([], Vni, 100, output, lengths));
        Assert.Throws<ArgumentOutOfRangeException>(() => sealer.Seal(new byte[10], Vni, SealedHeader.Overhead, output, lengths));
        Assert.Throws<ArgumentOutOfRangeException>(() => sealer.Seal(new byte[10], 0x1000000, 100, output, lengths));
        Assert.Throws<ArgumentException>(() => new FrameSealer(ring.Keys[0], new byte[5], VtepB));
        Assert.Equal((ulong)SealedHeader.MaxChunks, sealer.Counter); // the refused frames used no counter
    }

    [Fact]
    public void TheLastCountersAreUsedThenTheSealerRefuses()
    {
        var ring = OverlayKeyRing.New(T0);
        using var sealer = new FrameSealer(ring.Keys[0], VtepA, VtepB);
        using var opener = Opener(ring);
        sealer.Counter = ulong.MaxValue - 1;

        var frame = Frame(2000);
        Assert.Equal(frame, Assert.Single(OpenAll(opener, Seal(sealer, frame)).Frames)); // counters 2^64−2 and 2^64−1

        Assert.Throws<InvalidOperationException>(() => Seal(sealer, Frame(10)));
        sealer.Counter = ulong.MaxValue - 1;
        Assert.Throws<InvalidOperationException>(() => Seal(sealer, Frame(3000))); // would need three
    }
}
