namespace Berth.Store.Tests;

public sealed class RevisionFenceTests
{
    [Fact]
    public void A_change_older_than_what_was_applied_is_refused_deletes_included()
    {
        var fence = new RevisionFence();
        Assert.True(fence.TryAdvance("k", 5));

        // The watch delivers the write that was applied at once, and an older one: both refused.
        Assert.False(fence.TryAdvance("k", 5));
        Assert.False(fence.TryAdvance("k", 4));

        // A delete at 7 is remembered: the put at 6 arriving later must not bring the key back.
        Assert.True(fence.TryAdvance("k", 7));
        Assert.False(fence.TryAdvance("k", 6));
        Assert.True(fence.TryAdvance("other", 1));
    }

    [Fact]
    public void A_delete_delivered_by_the_watch_settles_its_tombstone_unless_something_newer_was_applied()
    {
        var fence = new RevisionFence();
        fence.TryAdvance("a", 3);
        fence.Settle("a", 3);
        Assert.Equal(0, fence.Count);

        fence.TryAdvance("b", 9);
        fence.Settle("b", 8);
        Assert.Equal(1, fence.Count);
        Assert.False(fence.TryAdvance("b", 9));
    }
}
