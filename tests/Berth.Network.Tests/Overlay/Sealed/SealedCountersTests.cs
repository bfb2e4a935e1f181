using Berth.Network.Overlay.Sealed;

namespace Berth.Network.Tests.Overlay.Sealed;

/// <summary>The per-network counters and the names Status shows them by.</summary>
public sealed class SealedCountersTests
{
    [Fact]
    public void EachOpenResultCountsUnderItsNameAndPendingCountsNothing()
    {
        var counters = new SealedCounters();
        foreach (var result in Enum.GetValues<OpenResult>())
        {
            counters.Count(result);
        }

        counters.Count(OpenResult.Replayed);
        Interlocked.Increment(ref counters.Sent);
        Interlocked.Increment(ref counters.DroppedNoPeer);
        Interlocked.Add(ref counters.DroppedNonMember, 3);

        Assert.Equal(
            new Dictionary<string, long>
            {
                ["dropped_kernel"] = 0,
                ["dropped_malformed"] = 1,
                ["dropped_misrouted"] = 0,
                ["dropped_no_peer"] = 1,
                ["dropped_non_member"] = 3,
                ["dropped_replayed"] = 2,
                ["dropped_unauthentic"] = 1,
                ["dropped_unknown_key"] = 1,
                ["frames_delivered"] = 1,
                ["frames_sent"] = 1,
            },
            counters.Snapshot());
    }

    [Fact]
    public void CountsFromManyThreadsAddUp()
    {
        var counters = new SealedCounters();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counters.Count(OpenResult.Delivered);
            }
        });

        Assert.Equal(80_000, counters.Snapshot()["frames_delivered"]);
    }
}
