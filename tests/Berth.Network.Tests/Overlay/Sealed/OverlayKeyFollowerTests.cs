using System.Collections.Concurrent;
using System.Net;
using Berth.Network.Cluster;
using Berth.Network.Overlay.Sealed;
using Berth.Store;

namespace Berth.Network.Tests.Overlay.Sealed;

/// <summary>The cluster's key ring in the store: made by the first manager, followed by every node, rotated once per interval however many managers look.</summary>
public sealed class OverlayKeyFollowerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AManagerMakesTheRingAWorkerWaitsForItAndDisconnectWithdrawsIt()
    {
        await using var store = new InMemoryStateStore();
        var workerSeen = new ConcurrentQueue<OverlayKeyRing?>();
        await using var worker = new OverlayKeyFollower(workerSeen.Enqueue);
        await worker.ConnectAsync(Link(store, manager: false));
        Assert.Null(worker.Current);
        Assert.Null(await store.GetAsync(OverlayKeyFollower.Key));

        OverlayKeyRing? managerRing = null;
        await using var manager = new OverlayKeyFollower(ring => managerRing = ring);
        await manager.ConnectAsync(Link(store, manager: true));
        Assert.NotNull(managerRing);
        Assert.Equal(1u, Assert.Single(managerRing.Keys).Generation);
        Assert.True(await Until(() => worker.Current is not null));
        Assert.True(managerRing.Keys[0].Key.SequenceEqual(worker.Current!.Keys[0].Key));

        // A second manager finds the ring and keeps it.
        await using var second = new OverlayKeyFollower(_ => { });
        await second.ConnectAsync(Link(store, manager: true));
        Assert.True(managerRing.Keys[0].Key.SequenceEqual(second.Current!.Keys[0].Key));

        await worker.DisconnectAsync();
        Assert.Null(worker.Current);
        Assert.Null(workerSeen.Last());
    }

    [Fact]
    public async Task TwoManagersRotateOncePerIntervalBetweenThemAndEveryNodeFollows()
    {
        var rotation = TimeSpan.FromSeconds(1);
        await using var store = new InMemoryStateStore();
        await using var one = new OverlayKeyFollower(_ => { }, rotation);
        await using var two = new OverlayKeyFollower(_ => { }, rotation);
        await using var worker = new OverlayKeyFollower(_ => { }, rotation);
        await one.ConnectAsync(Link(store, manager: true));
        await two.ConnectAsync(Link(store, manager: true));
        await worker.ConnectAsync(Link(store, manager: false));

        Assert.True(await Until(() => worker.Current?.Keys[^1].Generation >= 4), $"generation {worker.Current?.Keys[^1].Generation}");
        var keys = worker.Current!.Keys;
        Assert.Equal(3, keys.Length);
        for (int i = 1; i < keys.Length; i++)
        {
            // Consecutive generations, a full interval apart: two managers never rotated for one due time.
            Assert.Equal(keys[i - 1].Generation + 1, keys[i].Generation);
            Assert.True(keys[i].Created - keys[i - 1].Created >= rotation - TimeSpan.FromMilliseconds(50), $"{keys[i - 1].Created:O} → {keys[i].Created:O}");
        }
    }

    private static ClusterLink Link(IStateStore store, bool manager) => new()
    {
        Store = store,
        Leases = new Berth.Network.Tests.Cluster.MemoryLeases(store),
        NodeId = manager ? "m" : "w",
        Manager = manager,
        Vtep = IPAddress.Loopback,
    };

    private static async Task<bool> Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return condition();
    }
}
