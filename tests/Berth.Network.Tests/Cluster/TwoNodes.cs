using System.Net;
using Berth.Network.Cluster;
using Berth.Network.Tests.Networks;
using Berth.Store;

namespace Berth.Network.Tests.Cluster;

/// <summary>Two "nodes" (each a daemon with its own local store) and the cluster store with leases they share: node-a a manager, node-b a worker.</summary>
internal sealed class TwoNodes : IDisposable
{
    private TwoNodes(Daemon manager, Daemon worker)
    {
        Manager = manager;
        Worker = worker;
        Leases = new MemoryLeases(Store);
    }

    public InMemoryStateStore Store { get; } = new();

    public MemoryLeases Leases { get; }

    public Daemon Manager { get; }

    public Daemon Worker { get; }

    public static async Task<TwoNodes> StartAsync()
    {
        var nodes = new TwoNodes(await Daemon.StartAsync(new InMemoryStateStore()), await Daemon.StartAsync(new InMemoryStateStore()));

        // etcd's revisions start at 1: a node that lists an empty cluster store and watches after it misses nothing. The
        // in-memory store starts at 0, which a watch takes for "from now", so a write between the list and the watch's
        // start would be missed (a worker then never saw a network its manager made at once): start it as etcd does.
        await nodes.Store.PutAsync("test/first-revision", "1"u8.ToArray());
        return nodes;
    }

    /// <summary>A link of <paramref name="node"/> to the shared store; the manager's tunnel address is 192.0.2.1, a worker's 192.0.2.2.</summary>
    public ClusterLink Link(string node, bool manager) => new()
    {
        Store = Store,
        Leases = Leases,
        NodeId = node,
        Manager = manager,
        Vtep = IPAddress.Parse(manager ? "192.0.2.1" : "192.0.2.2"),
    };

    public void Dispose()
    {
        Manager.Dispose();
        Worker.Dispose();
    }
}
