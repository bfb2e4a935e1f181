using Berth.Api.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Berth.Api.Tests.Hosting;

/// <summary>Run alone: the assertions read the process's own GC, which other tests' allocations would move.</summary>
[CollectionDefinition(nameof(ProcessMemoryCollection), DisableParallelization = true)]
public sealed class ProcessMemoryCollection;

[Collection(nameof(ProcessMemoryCollection))]
public sealed class IdleMemoryTrimmerTests
{
    private const long Mb = 1024 * 1024;

    [Fact]
    public void A_trim_gives_the_memory_of_dropped_garbage_back()
    {
        AllocateAndDrop(96 * Mb);
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        long committedBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;

        IdleMemoryTrimmer.TrimNow();

        long committedAfter = GC.GetGCMemoryInfo().TotalCommittedBytes;
        Assert.True(committedAfter < committedBefore - 16 * Mb, $"committed {committedBefore / Mb} MB -> {committedAfter / Mb} MB");
    }

    [Fact]
    public async Task The_trimmer_collects_on_its_own_once_allocations_add_up_in_a_quiet_moment()
    {
        var time = new FakeTimeProvider();
        int fullCollections = GC.CollectionCount(GC.MaxGeneration);
        await using (var trimmer = new IdleMemoryTrimmer(new IdleTrimPolicy(WorthTrimming: 8 * Mb, QuietBelow: long.MaxValue), NullLogger.Instance, time))
        {
            AllocateAndDrop(16 * Mb);
            time.Advance(IdleMemoryTrimmer.Interval);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (GC.CollectionCount(GC.MaxGeneration) == fullCollections && DateTime.UtcNow < deadline)
                await Task.Delay(20);
        }

        Assert.True(GC.CollectionCount(GC.MaxGeneration) > fullCollections, "no full collection after 16 MB allocated and a quiet check");
    }

    [Fact]
    public async Task The_trimmer_leaves_a_busy_process_alone()
    {
        var time = new FakeTimeProvider();
        int fullCollections = GC.CollectionCount(GC.MaxGeneration);
        await using (var trimmer = new IdleMemoryTrimmer(new IdleTrimPolicy(WorthTrimming: 0, QuietBelow: 0), NullLogger.Instance, time))
        {
            for (int check = 0; check < 5; check++)
            {
                time.Advance(IdleMemoryTrimmer.Interval);
                await Task.Delay(50);
            }
        }

        // QuietBelow 0: no check is ever quiet, so the 5 checks make no collection (nothing else here allocates enough for one).
        Assert.Equal(fullCollections, GC.CollectionCount(GC.MaxGeneration));
    }

    private static void AllocateAndDrop(long bytes)
    {
        var held = new List<byte[]>();
        for (long done = 0; done < bytes; done += 64 * 1024)
            held.Add(new byte[64 * 1024 - 64]);
        GC.KeepAlive(held);
    }
}
