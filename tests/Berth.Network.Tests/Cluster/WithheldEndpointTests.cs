using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Cluster;
using Berth.Network.Containers;
using Berth.Network.Endpoints;
using Berth.Network.Ipam;
using Berth.Network.Tests.Networks;
using Berth.Store;

namespace Berth.Network.Tests.Cluster;

/// <summary>
/// A worker "rebooted": its berthd and its container die together, and the new berthd finds the container's endpoint
/// on an overlay it has not loaded yet (the swarm's networks come with the node's return to its swarm). Its release
/// must not fail — before, "network … not found" left the dead run recorded as running, its endpoint published again,
/// names and the VIP pointing at it (found by ClusterChaosTests' node restart) — and must not be lost either: the
/// endpoint is withheld from the cluster and released, address and record, once the network is loaded. The records
/// the dead berthd left on its lease go when the new one links (a manager refused a network's removal as in use until
/// that lease lapsed; found by ServiceCrashTests' long round).
/// </summary>
public sealed class WithheldEndpointTests : IAsyncLifetime
{
    /// <summary>A task whose run died with the node.</summary>
    private const string DeadId = "7a5c000000000000000000000000000000000000000000000000000000000009";

    /// <summary>A container that kept running through berthd's death (adopted by the next berthd).</summary>
    private const string LiveId = "7a5c00000000000000000000000000000000000000000000000000000000000a";

    private readonly string _netns = Directory.CreateTempSubdirectory("berth-withheld-").FullName;
    private TwoNodes _nodes = null!;
    private NetworkState _overlay = null!;

    public async Task InitializeAsync()
    {
        _nodes = await TwoNodes.StartAsync();
        await _nodes.Manager.Networks.AttachClusterAsync(_nodes.Link("node-a", manager: true));
        _overlay = await _nodes.Manager.Networks.CreateAsync(new NetworkConfig { Name = "ov", Driver = "fakeswarm", Attachable = true });
    }

    public Task DisposeAsync()
    {
        _nodes.Dispose();
        Directory.Delete(_netns, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_run_that_ended_while_its_overlay_was_not_loaded_is_never_published_again_and_released_once_it_is()
    {
        using var restarted = await RebootedWorkerAsync();
        var containers = new ContainerNetworks(new NamespaceManager(_netns), restarted.Endpoints);
        bool changed = false;
        restarted.Endpoints.NetworksChanged += () => changed = true;

        Assert.False(await containers.ReleaseAsync(DeadId, "web.1.x"));
        Assert.Equal([DeadId], restarted.Endpoints.Withheld);
        Assert.Single(restarted.Endpoints.OfContainer(DeadId));

        // Linked again (the old berthd's lease not lapsed yet): the running container's endpoint is published on the new
        // lease, the dead one's is not, and the old berthd's record of it goes at once.
        await using var cluster = await LinkAsync(restarted);
        Assert.True(changed, "loading the cluster's networks raised no NetworksChanged");
        Assert.Equal([ClusterEndpoints.Key("node-b", _overlay.Id, EndpointOf(restarted, LiveId))], await RecordsAsync());
        Assert.Contains(DeadId, (await new AddressClaims(_nodes.Store).ListAsync(_overlay.Id)).Values);

        // Known now: released whole, its address free.
        Assert.True(await containers.ReleaseAsync(DeadId, "web.1.x"));
        Assert.Empty(restarted.Endpoints.OfContainer(DeadId));
        Assert.Empty(restarted.Endpoints.Withheld);
        Assert.DoesNotContain(DeadId, (await new AddressClaims(_nodes.Store).ListAsync(_overlay.Id)).Values);
        Assert.Single(await RecordsAsync());
    }

    /// <summary>
    /// The worker's two containers on the overlay, published; then its berthd killed (its records stay on their lease)
    /// and a new one started on the same local store, not linked to the cluster yet.
    /// </summary>
    private async Task<Daemon> RebootedWorkerAsync()
    {
        var worker = _nodes.Worker;
        await using (var cluster = await LinkAsync(worker))
        {
            using var container = NetworkNamespace.Host();
            foreach (string id in (string[])[DeadId, LiveId])
            {
                await worker.Endpoints.AttachAsync(id, id == DeadId ? "web.1.x" : "client", container, new EndpointRequest { Network = "ov" });
            }

            Assert.Equal(2, (await RecordsAsync()).Count);
            await cluster.DisconnectAsync(withdraw: false);
        }

        var restarted = await Daemon.StartAsync(worker.Networks.Store);
        Assert.Single(restarted.Endpoints.OfContainer(DeadId));
        return restarted;
    }

    /// <summary>The keys of node-b's endpoint records in the cluster store.</summary>
    private async Task<List<string>> RecordsAsync() => [.. (await _nodes.Store.ListAsync(ClusterEndpoints.Prefix + "node-b/")).Select(r => r.Key)];

    private static string EndpointOf(Daemon daemon, string containerId) => daemon.Endpoints.OfContainer(containerId).Single().EndpointId;

    /// <summary>
    /// Links a worker daemon to the cluster as berthd's ClusterNetworking does: networks, its endpoint records, its
    /// endpoints published again and what a previous berthd left withdrawn.
    /// </summary>
    private async Task<ClusterEndpoints> LinkAsync(Daemon daemon)
    {
        var link = _nodes.Link("node-b", manager: false);
        await daemon.Networks.AttachClusterAsync(link);
        var cluster = new ClusterEndpoints(daemon.Networks, new RemoteEndpointTable());
        await cluster.ConnectAsync(link);
        daemon.Endpoints.Cluster = cluster;
        await daemon.Endpoints.PublishAllAsync();
        await cluster.WithdrawStaleAsync();
        return cluster;
    }
}
