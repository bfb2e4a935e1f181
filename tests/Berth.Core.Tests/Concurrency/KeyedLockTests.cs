using Berth.Core.Concurrency;

namespace Berth.Core.Tests.Concurrency;

/// <summary>One key at a time, different keys in parallel, and nothing left in the table afterwards.</summary>
public sealed class KeyedLockTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Different_keys_are_held_at_the_same_time()
    {
        var locks = new KeyedLock<string>(StringComparer.Ordinal);
        using var a = await locks.LockAsync("a");
        var b = locks.LockAsync("b");
        Assert.True(b.IsCompletedSuccessfully, "the lock of b waited for a's");
        (await b).Dispose();
    }

    [Fact]
    public async Task One_key_waits_for_its_holder_and_then_gets_it()
    {
        var locks = new KeyedLock<string>(StringComparer.Ordinal);
        var first = await locks.LockAsync("a");
        var second = locks.LockAsync("a");
        await Task.Delay(50);
        Assert.False(second.IsCompleted, "a second holder got the key while the first held it");
        first.Dispose();
        (await second.WaitAsync(Deadline)).Dispose();
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task Many_workers_on_one_key_never_overlap_and_on_many_keys_do()
    {
        var locks = new KeyedLock<int>();
        int inside = 0, maxInsideOneKey = 0;
        async Task Work(int key, bool track)
        {
            using (await locks.LockAsync(key))
            {
                if (track)
                {
                    int now = Interlocked.Increment(ref inside);
                    InterlockedMax(ref maxInsideOneKey, now);
                }

                await Task.Delay(2);
                if (track)
                {
                    Interlocked.Decrement(ref inside);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => Work(7, track: true)))).WaitAsync(Deadline);
        Assert.Equal(1, maxInsideOneKey);

        // 20 keys each held 100 ms at once: in parallel this takes ~100 ms, serialised 2 s.
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(key => Task.Run(async () =>
        {
            using (await locks.LockAsync(key))
            {
                await Task.Delay(100);
            }
        }))).WaitAsync(Deadline);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), $"20 different keys took {started.Elapsed.TotalMilliseconds} ms: they were serialised");
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_no_entry_and_does_not_take_the_lock()
    {
        var locks = new KeyedLock<string>(StringComparer.Ordinal);
        var held = await locks.LockAsync("a");
        using var cancel = new CancellationTokenSource();
        var waiting = locks.LockAsync("a", cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();
        Assert.Equal(0, locks.Count);
        (await locks.LockAsync("a").WaitAsync(Deadline)).Dispose();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
