using Berth.Network.Overlay.Sealed;
using static Berth.Network.Tests.Overlay.Sealed.SealedLab;

namespace Berth.Network.Tests.Overlay.Sealed;

/// <summary>Sealing and opening allocate nothing once a session and its buffers exist.</summary>
public sealed class SealedAllocationTests
{
    [Fact]
    public void SealAndOpenAllocateNothingInSteadyState()
    {
        var ring = OverlayKeyRing.New(T0);
        using var sealer = new FrameSealer(ring.Keys[0], VtepA, VtepB);
        using var opener = Opener(ring);
        var frames = new[] { Frame(60), Frame(1400), Frame(9010), Frame(FrameOpener.DefaultMaxFrame) };
        var output = new byte[SealedHeader.MaxChunks * IPv4Datagram];
        var lengths = new int[SealedHeader.MaxChunks];
        byte[] sender = VtepA;

        long Run(int calls)
        {
            long delivered = 0;
            for (var i = 0; i < calls; i++)
            {
                // One in twenty frames is a 64 KiB super-frame of 46 chunks.
                var frame = frames[i % 20 == 0 ? 3 : i % 3];
                var count = sealer.Seal(frame, Vni, IPv4Datagram, output, lengths);
                for (var c = 0; c < count; c++)
                {
                    if (opener.Open(output.AsSpan(c * IPv4Datagram, lengths[c]), sender, out _, out var opened) == OpenResult.Delivered
                        && opened.Length == frame.Length)
                    {
                        delivered++;
                    }
                }
            }

            return delivered;
        }

        Assert.Equal(100, Run(100)); // the session, its window and a frame buffer are made here

        // The least of three rounds: the runtime's own one-time work on this thread (code tiering up, on a loaded
        // machine ~0.5–8 KB once in ~10 runs) lands in one round; an allocation of sealing or opening itself, even one
        // in a thousand frames, would be in every round.
        var rounds = new List<(long Delivered, long Allocated)>();
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var delivered = Run(10_000);
            rounds.Add((delivered, GC.GetAllocatedBytesForCurrentThread() - before));
        }

        Assert.All(rounds, r => Assert.Equal(10_000, r.Delivered));
        Assert.Equal(0, rounds.Min(r => r.Allocated));
    }
}
