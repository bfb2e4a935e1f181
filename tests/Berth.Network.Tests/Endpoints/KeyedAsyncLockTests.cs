using Berth.Network.Endpoints;

namespace Berth.Network.Tests.Endpoints;

public sealed class KeyedAsyncLockTests
{
    [Fact]
    public async Task One_key_is_serialised_and_other_keys_are_not_held_up()
    {
        var locks = new KeyedAsyncLock<string>(StringComparer.Ordinal);
        var first = await locks.LockAsync("a");
        var sameKey = locks.LockAsync("a");
        Assert.False(sameKey.IsCompleted);

        // Another key goes through while "a" is held.
        using (await locks.LockAsync("b").WaitAsync(TimeSpan.FromSeconds(5)))
        {
            Assert.Equal(2, locks.Count);
        }

        first.Dispose();
        using (await sameKey.WaitAsync(TimeSpan.FromSeconds(5)))
        {
            Assert.Equal(1, locks.Count);
        }

        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_nothing_behind()
    {
        var locks = new KeyedAsyncLock<string>(StringComparer.Ordinal);
        using var cancel = new CancellationTokenSource();
        using (await locks.LockAsync("a"))
        {
            var waiting = locks.LockAsync("a", cancel.Token);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }

        Assert.Equal(0, locks.Count);
    }
}
