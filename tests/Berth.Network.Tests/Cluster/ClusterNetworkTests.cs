using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Cluster;
using Berth.Network.Dns;
using Berth.Network.Persistence;
using Berth.Network.Tests.Networks;
using Berth.Store;

namespace Berth.Network.Tests.Cluster;

/// <summary>
/// Swarm-scoped networks and endpoint records over a cluster store two "nodes" share (each with its own local store):
/// where records go, who sees what, who may do what, and other nodes' endpoints followed through the store.
/// </summary>
public sealed class ClusterNetworkTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15); // a bound for a loaded machine, not a target

    private TwoNodes _nodes = null!;

    private InMemoryStateStore _cluster => _nodes.Store;

    private MemoryLeases _leases => _nodes.Leases;

    private Daemon _manager => _nodes.Manager;

    private Daemon _worker => _nodes.Worker;

    public async Task InitializeAsync() => _nodes = await TwoNodes.StartAsync();

    public Task DisposeAsync()
    {
        _nodes.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Outside_a_cluster_a_swarm_scoped_network_is_refused_with_Dockers_message()
    {
        var refused = await Assert.ThrowsAsync<BerthException>(() => _manager.Networks.CreateAsync(new NetworkConfig { Name = "ov", Driver = "fakeswarm" }));
        Assert.Equal(ErrorKind.Unavailable, refused.Kind);
        Assert.Contains("This node is not a swarm manager", refused.Message, StringComparison.Ordinal);
        var local = await Assert.ThrowsAsync<BerthException>(() => _manager.Networks.CreateAsync(new NetworkConfig { Name = "b", Driver = "fake", Scope = "swarm" }));
        Assert.Contains("scope swarm needs a multi-host driver", local.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_managers_network_is_in_the_cluster_store_seen_by_a_worker_listed_only_where_it_may_be_and_gone_when_unlinked()
    {
        await _manager.Networks.AttachClusterAsync(Link("node-a", manager: true));
        await _worker.Networks.AttachClusterAsync(Link("node-b", manager: false));

        var made = await _manager.Networks.CreateAsync(new NetworkConfig { Name = "ov", Driver = "fakeswarm" });
        Assert.Equal("swarm", made.Config.Scope);
        Assert.Equal(IPNetwork.Parse("10.0.0.0/24"), made.Subnets.Single().Subnet);
        Assert.NotNull(await new NetworkRepository(_cluster).LoadAsync(made.Id));
        Assert.Null(await new NetworkRepository(_manager.Networks.Store).LoadAsync(made.Id));

        // The worker's watch brings it: found by name, not listed (it has no endpoint on it), not its to create.
        Assert.True(await UntilAsync(async () => (await TryGetAsync(_worker, "ov"))?.Id == made.Id, Within));
        Assert.DoesNotContain(await _worker.Networks.ListAsync(), n => n.Name == "ov");
        Assert.Contains(await _manager.Networks.ListAsync(), n => n.Name == "ov");
        var refused = await Assert.ThrowsAsync<BerthException>(() => _worker.Networks.CreateAsync(new NetworkConfig { Name = "ov2", Driver = "fakeswarm" }));
        Assert.Equal(ErrorKind.Forbidden, refused.Kind);
        Assert.Contains("Cannot create a multi-host network from a worker node", refused.Message, StringComparison.Ordinal);

        // The second network takes the next subnet of the cluster's pool; a name is the cluster's once.
        var second = await _manager.Networks.CreateAsync(new NetworkConfig { Name = "ov2", Driver = "fakeswarm" });
        Assert.Equal(IPNetwork.Parse("10.0.1.0/24"), second.Subnets.Single().Subnet);
        await _worker.Networks.DetachClusterAsync();
        await Assert.ThrowsAsync<BerthException>(() => _worker.Networks.GetAsync("ov"));
        await _manager.Networks.DeleteAsync("ov2");
        Assert.Null(await new NetworkRepository(_cluster).LoadAsync(second.Id));
    }

    [Fact]
    public async Task Another_nodes_endpoint_records_are_followed_answered_by_name_and_gone_with_its_lease()
    {
        var (managerLink, workerLink, network) = await OverlayOnTwoNodesAsync();
        var registry = new DnsRegistry();
        await using var onManager = new ClusterEndpoints(_manager.Networks, new RemoteEndpointTable(), new DnsRegistry());
        await using var onWorker = new ClusterEndpoints(_worker.Networks, new RemoteEndpointTable(), registry);
        await onManager.ConnectAsync(managerLink);
        await onWorker.ConnectAsync(workerLink);
        Assert.True(await UntilAsync(async () => await TryGetAsync(_worker, "ov") is not null, Within));

        await onManager.PublishAsync(Web(network.Id));
        Assert.True(await UntilAsync(() => Task.FromResult(onWorker.Remote.Of(network.Id).Count == 1), Within));
        var seen = onWorker.Remote.Of(network.Id).Single();
        Assert.Equal(("node-a", IPAddress.Parse("192.0.2.1")), (seen.Node, seen.Vtep));
        Assert.Empty(onManager.Remote.Of(network.Id)); // its own endpoint is not remote to it
        string asker = new('d', 64);
        registry.Set(new DnsEndpoint { ContainerId = asker, ContainerName = "asker", NetworkId = network.Id, NetworkName = "ov", IPv4 = IPAddress.Parse("10.0.0.3") });
        Assert.True(await UntilAsync(() => Task.FromResult(Answers(registry, asker, "web").SequenceEqual([IPAddress.Parse("10.0.0.2")])), Within));

        // Still in use on node-a: a manager may not remove it.
        _manager.Networks.UsedInClusterAsync = async (id, token) => await onManager.AnyOnAsync(id, token) is { } user ? user.ContainerName : null;
        var inUse = await Assert.ThrowsAsync<BerthException>(() => _manager.Networks.DeleteAsync("ov"));
        Assert.Contains("is in use", inUse.Message, StringComparison.Ordinal);

        // node-a dies (nothing keeps its lease alive any more): its lease lapses, its records go, the worker forgets the
        // endpoint and its name.
        await onManager.DisconnectAsync(withdraw: false);
        foreach (long lease in _leases.Live)
        {
            if ((await _cluster.ListAsync(ClusterEndpoints.Prefix)).Count > 0)
            {
                await _leases.Expire(lease);
            }
        }

        Assert.True(await UntilAsync(() => Task.FromResult(onWorker.Remote.Of(network.Id).Count == 0), Within));
        Assert.True(await UntilAsync(() => Task.FromResult(!Answers(registry, asker, "web").Any()), Within));
    }

    /// <summary>
    /// A node cut off past its lease's TTL: a republish on the lapsed lease fails, and the endpoint must stay this node's
    /// (the keep-alive puts it on a new lease), so that its later removal still reaches the local view — else the
    /// service's names on that node kept a stopped task (found by ClusterChaosTests, a worker partitioned and healed).
    /// </summary>
    [Fact]
    public async Task A_publish_refused_by_a_lapsed_lease_keeps_the_endpoint_whose_removal_then_reaches_the_view()
    {
        var (managerLink, _, network) = await OverlayOnTwoNodesAsync();
        await using var endpoints = new ClusterEndpoints(_manager.Networks, new RemoteEndpointTable());
        await endpoints.ConnectAsync(managerLink);
        await endpoints.PublishAsync(Web(network.Id));
        foreach (long lease in _leases.Live)
        {
            await _leases.Expire(lease);
        }

        var refused = await Assert.ThrowsAsync<BerthException>(() => endpoints.PublishAsync(Web(network.Id) with { ContainerName = "web2" }));
        Assert.Equal(ErrorKind.NotFound, refused.Kind);
        Assert.Equal("web", Assert.Single(endpoints.LocalOf(network.Id)).ContainerName);
        Assert.True(await UntilAsync(async () => (await _cluster.ListAsync(ClusterEndpoints.Prefix)).Count == 1, Within), "the keep-alive did not publish the endpoint again on a new lease");

        var changed = new List<NetworkId>();
        endpoints.Changed += changed.Add;
        await endpoints.UnpublishAsync(network.Id, "e1");
        Assert.Empty(endpoints.LocalOf(network.Id));
        Assert.Equal([network.Id], changed);
    }

    [Fact]
    public async Task A_network_a_service_uses_is_refused_at_once_by_the_services_answer_and_removed_once_none_does()
    {
        var (_, _, network) = await OverlayOnTwoNodesAsync();
        string? user = "service svc1";
        _manager.Networks.ServiceUsersAsync = (id, _) => Task.FromResult(id == network.Id ? user : null);
        var refused = await Assert.ThrowsAsync<BerthException>(() => _manager.Networks.DeleteAsync("ov"));
        Assert.Equal(ErrorKind.Forbidden, refused.Kind);
        Assert.Equal($"rpc error: code = FailedPrecondition desc = network {network.Id.Value} is in use by service svc1", refused.Message);
        Assert.NotNull(await new NetworkRepository(_cluster).LoadAsync(network.Id));

        user = null;
        await _manager.Networks.DeleteAsync("ov");
        Assert.Null(await new NetworkRepository(_cluster).LoadAsync(network.Id));
    }

    /// <summary>
    /// <c>docker stack rm</c> removes the services, then at once their networks, while the services' tasks still stop:
    /// the network is gone for users at once (as Docker's), its name free, kept for the endpoints leaving it (no node
    /// tears it down under them), and removed everywhere when the last has gone.
    /// </summary>
    [Fact]
    public async Task A_network_only_leaving_tasks_are_on_is_gone_for_users_at_once_and_removed_when_the_last_has_left()
    {
        var (managerLink, _, network) = await OverlayOnTwoNodesAsync();
        await using var onManager = new ClusterEndpoints(_manager.Networks, new RemoteEndpointTable());
        await onManager.ConnectAsync(managerLink);
        _manager.Networks.UsedInClusterAsync = async (id, token) => await onManager.AnyOnAsync(id, token) is { } user ? user.ContainerName : null;
        _manager.Networks.OnlyLeavingUsersAsync = async (id, token) => await onManager.OnAsync(id, token) is { Count: > 0 } users && users.All(e => e.ServiceId is not null);
        Assert.True(await UntilAsync(async () => await TryGetAsync(_worker, "ov") is not null, Within));

        // A container of no service keeps it: refused as in use.
        await onManager.PublishAsync(Web(network.Id));
        var refused = await Assert.ThrowsAsync<BerthException>(() => _manager.Networks.DeleteAsync("ov"));
        Assert.Contains("is in use by web", refused.Message, StringComparison.Ordinal);
        await onManager.UnpublishAsync(network.Id, "e1");

        // Only a removed service's task leaving it: removed for users at once; its leaving endpoint still finds it by id.
        await onManager.PublishAsync(Web(network.Id) with { ServiceId = "svc1" });
        await _manager.Networks.DeleteAsync("ov");
        Assert.DoesNotContain(await _manager.Networks.ListAsync(), n => n.Name == "ov");
        Assert.Null(await TryGetAsync(_manager, "ov"));
        Assert.Equal(network.Id, (await _manager.Networks.GetAsync(network.Id.Value)).Id);
        Assert.Equal(NetworkPhase.Draining, (await new NetworkRepository(_cluster).LoadAsync(network.Id))!.Network.Phase);
        Assert.True(await UntilAsync(async () => await TryGetAsync(_worker, "ov") is null, Within));
        Assert.NotNull(_worker.Networks.Find(network.Id));

        // Its name is free at once; its subnet stays its own until it is gone.
        var again = await _manager.Networks.CreateAsync(new NetworkConfig { Name = "ov", Driver = "fakeswarm" });
        Assert.NotEqual(network.Subnets.Single().Subnet, again.Subnets.Single().Subnet);

        // Kept while its endpoint is; the manager's own look removes it once that has gone, the worker's objects with it.
        Assert.Equal(0, await _manager.Networks.FinishDrainedAsync());
        Assert.DoesNotContain("delete ov", _worker.Swarm.Calls);
        await onManager.UnpublishAsync(network.Id, "e1");
        Assert.True(await UntilAsync(async () => await new NetworkRepository(_cluster).LoadAsync(network.Id) is null, Within), "the drained network was not removed");
        Assert.True(await UntilAsync(() => Task.FromResult(_worker.Networks.Find(network.Id) is null && _worker.Swarm.Calls.Contains("delete ov")), Within));
        Assert.Equal(again.Id, (await _manager.Networks.GetAsync("ov")).Id);
    }

    [Fact]
    public async Task A_record_that_cannot_be_read_is_passed_over_and_the_others_are_still_followed()
    {
        var (managerLink, workerLink, network) = await OverlayOnTwoNodesAsync();
        Assert.True(await UntilAsync(async () => await TryGetAsync(_worker, "ov") is not null, Within));
        string bad = ClusterEndpoints.Key("node-0", network.Id, "listed");
        await _cluster.PutAsync(bad, "{"u8.ToArray());
        await using var onManager = new ClusterEndpoints(_manager.Networks, new RemoteEndpointTable());
        await using var onWorker = new ClusterEndpoints(_worker.Networks, new RemoteEndpointTable());
        await onManager.ConnectAsync(managerLink);
        await onWorker.ConnectAsync(workerLink); // lists the bad record

        // More bad records through the watch (not JSON of a record, an address that is not one), then a good one: the
        // watch is still there to bring it.
        await _cluster.PutAsync(ClusterEndpoints.Key("node-0", network.Id, "watched"), "[]"u8.ToArray());
        await _cluster.PutAsync(ClusterEndpoints.Key("node-0", network.Id, "address"), System.Text.Encoding.UTF8.GetBytes(
            $$"""{"Node":"node-0","Vtep":"not an address","NetworkId":"{{network.Id.Value}}","EndpointId":"address","ContainerId":"c","ContainerName":"x","MacAddress":"02:42:0a:00:00:09"}"""));
        await onManager.PublishAsync(Web(network.Id));
        Assert.True(await UntilAsync(() => Task.FromResult(onWorker.Remote.Of(network.Id).Select(e => e.EndpointId).SequenceEqual(["e1"])), Within));
        Assert.Equal("e1", (await onWorker.AnyOnAsync(network.Id))?.EndpointId);
        await onWorker.DisconnectAsync(); // its loops ended without a fault
    }

    /// <summary>The manager (node-a) and the worker (node-b) attached to the cluster, and an attachable overlay "ov" made on the manager.</summary>
    private async Task<(ClusterLink Manager, ClusterLink Worker, NetworkState Network)> OverlayOnTwoNodesAsync()
    {
        var managerLink = Link("node-a", manager: true);
        var workerLink = Link("node-b", manager: false);
        await _manager.Networks.AttachClusterAsync(managerLink);
        await _worker.Networks.AttachClusterAsync(workerLink);
        return (managerLink, workerLink, await _manager.Networks.CreateAsync(new NetworkConfig { Name = "ov", Driver = "fakeswarm", Attachable = true }));
    }

    /// <summary>A container "web" at 10.0.0.2 on <paramref name="network"/>, as its node publishes it (node and tunnel address stamped by the publisher).</summary>
    [Fact]
    public async Task A_thousand_endpoints_of_another_node_all_resolve_and_all_go_with_its_lease()
    {
        var managerLink = Link("node-a", manager: true);
        var workerLink = Link("node-b", manager: false);
        await _manager.Networks.AttachClusterAsync(managerLink);
        await _worker.Networks.AttachClusterAsync(workerLink);
        var network = await _manager.Networks.CreateAsync(new NetworkConfig { Name = "big", Driver = "fakeswarm", Attachable = true, Ipam = new IpamRequest { Config = [new IpamPoolRequest { Subnet = "10.9.0.0/16" }] } });
        var registry = new DnsRegistry();
        await using var onManager = new ClusterEndpoints(_manager.Networks, new RemoteEndpointTable(), new DnsRegistry());
        await using var onWorker = new ClusterEndpoints(_worker.Networks, new RemoteEndpointTable(), registry);
        await onManager.ConnectAsync(managerLink);
        await onWorker.ConnectAsync(workerLink);
        Assert.True(await UntilAsync(async () => await TryGetAsync(_worker, "big") is not null, Within));
        string asker = new('d', 64);
        registry.Set(new DnsEndpoint { ContainerId = asker, ContainerName = "asker", NetworkId = network.Id, NetworkName = "big", IPv4 = IPAddress.Parse("10.9.255.254") });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 1000; i++)
        {
            await onManager.PublishAsync(Web(network.Id) with
            {
                EndpointId = $"e{i}",
                ContainerId = $"{i:d4}" + new string('c', 60),
                ContainerName = $"web{i}",
                IPv4 = IPAddress.Parse($"10.9.{i / 250}.{i % 250 + 2}"),
            });
        }

        Assert.True(await UntilAsync(() => Task.FromResult(registry.Current.Endpoints.Count == 1001), TimeSpan.FromSeconds(30)), $"{registry.Current.Endpoints.Count - 1} of 1000 names");
        Console.WriteLine($"1000 remote endpoints published and named in {clock.ElapsedMilliseconds} ms");
        Assert.All(Enumerable.Range(0, 1000), i => Assert.Equal([IPAddress.Parse($"10.9.{i / 250}.{i % 250 + 2}")], Answers(registry, asker, $"web{i}")));

        await onManager.DisconnectAsync(withdraw: false); // node-a dies: nothing keeps its lease alive any more
        foreach (long lease in _leases.Live)
        {
            await _leases.Expire(lease);
        }

        Assert.True(await UntilAsync(() => Task.FromResult(registry.Current.Endpoints.Count == 1 && onWorker.Remote.Of(network.Id).Count == 0), TimeSpan.FromSeconds(30)));
    }

    private static RemoteEndpoint Web(NetworkId network) => new()
    {
        Node = "",
        Vtep = IPAddress.None,
        NetworkId = network,
        EndpointId = "e1",
        ContainerId = new string('c', 64),
        ContainerName = "web",
        MacAddress = "02:42:0a:00:00:02",
        IPv4 = IPAddress.Parse("10.0.0.2"),
    };

    /// <summary>Until <paramref name="condition"/> holds or <paramref name="timeout"/> passes.</summary>
    private static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    private static IEnumerable<IPAddress?> Answers(DnsRegistry registry, string asker, string name) =>
        registry.Current.Lookup(asker, new DnsQuestion(name, DnsRecordType.A)).Answers.Select(a => a.Address);

    private ClusterLink Link(string node, bool manager) => _nodes.Link(node, manager);

    private static async Task<NetworkState?> TryGetAsync(Daemon daemon, string name)
    {
        try
        {
            return await daemon.Networks.GetAsync(name);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }
}
