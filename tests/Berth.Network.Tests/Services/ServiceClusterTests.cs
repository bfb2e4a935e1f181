using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Cluster;
using Berth.Network.Endpoints;
using Berth.Network.Ipam;
using Berth.Network.Services;
using Berth.Network.Tests.Cluster;
using Berth.Network.Tests.Networks;
using Berth.Store;

namespace Berth.Network.Tests.Services;

/// <summary>
/// Services over a cluster store two "nodes" share: VIPs claimed beside containers' addresses, task endpoints carrying
/// their service to every node, taken out of rotation and back, and gone when detached.
/// </summary>
public sealed class ServiceClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15); // a bound for a loaded machine, not a target
    private const string TaskId = "7a5c000000000000000000000000000000000000000000000000000000000001";
    private const string SecondTaskId = "7a5c000000000000000000000000000000000000000000000000000000000002";
    private const string PlainId = "7a5c000000000000000000000000000000000000000000000000000000000003";

    private TwoNodes _nodes = null!;

    public async Task InitializeAsync() => _nodes = await TwoNodes.StartAsync();

    public Task DisposeAsync()
    {
        _nodes.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_vip_is_a_claim_no_container_gets_and_is_free_again_once_released()
    {
        var network = await OverlayAsync();
        var addresses = new ClusterServiceAddresses(_nodes.Manager.Networks);
        Assert.Equal(network.Id, (await addresses.ResolveAsync("ov")).Id);
        Assert.Equal(network.Id, (await addresses.ResolveAsync(network.Id.Value[..12])).Id);
        await _nodes.Manager.Networks.CreateAsync(new NetworkConfig { Name = "local", Driver = "fake" });
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => addresses.ResolveAsync("local"))).Kind);
        Assert.Equal(ErrorKind.NotFound, (await Assert.ThrowsAsync<BerthException>(() => addresses.ResolveAsync("nope"))).Kind);

        var vip = await addresses.ClaimAsync(network.Id, "vip-web1");
        Assert.Equal(24, vip.PrefixLength);
        Assert.Equal("vip-web1", (await new AddressClaims(_nodes.Store).ListAsync(network.Id))[vip.Address]);

        // A container attached on the other node never gets it, not even as its preferred address.
        await using var onWorker = new ClusterEndpoints(_nodes.Worker.Networks, new RemoteEndpointTable());
        await onWorker.ConnectAsync(Link("node-b", manager: false));
        _nodes.Worker.Endpoints.Cluster = onWorker;
        using var container = NetworkNamespace.Host();
        var endpoint = await _nodes.Worker.Endpoints.AttachAsync(TaskId, "web.1.x", container, new EndpointRequest { Network = "ov", PreferredIPv4Address = vip.Address });
        Assert.NotEqual(vip.Address, endpoint.IPv4!.Value.Address);

        // Only its owner releases it; then it is free (claimed again at once as a preference).
        Assert.False(await addresses.ReleaseAsync(network.Id, vip.Address, "vip-other"));
        Assert.True(await addresses.ReleaseAsync(network.Id, vip.Address, "vip-web1"));
        Assert.False((await new AddressClaims(_nodes.Store).ListAsync(network.Id)).ContainsKey(vip.Address));
        Assert.Equal(vip.Address, (await addresses.ClaimAsync(network.Id, "vip-web2", preferred: vip.Address)).Address);
    }

    [Fact]
    public async Task A_task_endpoint_is_a_backend_on_every_node_out_of_rotation_while_unhealthy_or_not_yet_healthy_and_gone_when_detached()
    {
        var network = await OverlayAsync();
        await using var onManager = new ClusterEndpoints(_nodes.Manager.Networks, new RemoteEndpointTable());
        await using var onWorker = new ClusterEndpoints(_nodes.Worker.Networks, new RemoteEndpointTable());
        await onManager.ConnectAsync(Link("node-a", manager: true));
        await onWorker.ConnectAsync(Link("node-b", manager: false));
        _nodes.Worker.Endpoints.Cluster = onWorker;
        await using var onManagerServices = ServiceTable.Following(onManager);
        await using var onWorkerServices = ServiceTable.Following(onWorker);
        await onManagerServices.ConnectAsync(_nodes.Store);
        await onWorkerServices.ConnectAsync(_nodes.Store);
        var vip = await new ClusterServiceAddresses(_nodes.Manager.Networks).ClaimAsync(network.Id, "vip-web1");
        await new ServiceBindings(_nodes.Store).PublishAsync(new ServiceBinding
        {
            NetworkId = network.Id, ServiceId = "web1", Name = "web", Vip = vip.Address, Ports = [new ServiceBindingPort("tcp", 80)],
        });

        using var container = NetworkNamespace.Host();
        var endpoint = await _nodes.Worker.Endpoints.AttachAsync(TaskId, "web.1.x", container, new EndpointRequest { Network = "ov", ServiceId = "web1" });
        Assert.Equal("web1", endpoint.ServiceId);
        var address = endpoint.IPv4!.Value.Address;

        // Remote on the manager, local on the worker: a backend on both.
        Assert.True(await UntilAsync(() => Backends(onManagerServices, network.Id).SequenceEqual([address]) && Backends(onWorkerServices, network.Id).SequenceEqual([address])));
        Assert.Equal(vip.Address, onManagerServices.ViewOf(network.Id).Services.Single().Binding.Vip);

        // Unhealthy: out of the rotation everywhere, still published (reachable, wired); healthy again: back.
        await _nodes.Worker.Endpoints.SetInRotationAsync(TaskId, inRotation: false);
        Assert.True(await UntilAsync(() => Backends(onManagerServices, network.Id).Length == 0 && Backends(onWorkerServices, network.Id).Length == 0));
        Assert.Single(onManager.Remote.Of(network.Id));
        Assert.True(_nodes.Worker.Endpoints.OfContainer(TaskId).Single().OutOfRotation);
        await _nodes.Worker.Endpoints.SetInRotationAsync(TaskId, inRotation: true);
        Assert.True(await UntilAsync(() => Backends(onManagerServices, network.Id).SequenceEqual([address])));

        // The container stops: its endpoint goes, and with it the backend.
        await _nodes.Worker.Endpoints.DetachAsync(TaskId, "web.1.x", container, "ov");
        Assert.True(await UntilAsync(() => Backends(onManagerServices, network.Id).Length == 0 && Backends(onWorkerServices, network.Id).Length == 0));
        Assert.Single(onManagerServices.ViewOf(network.Id).Services);

        // A task whose container has a healthcheck is attached out of rotation: published (reachable by address) but
        // no backend until its first healthy probe puts it in.
        using var checkedTask = NetworkNamespace.Host();
        var healthChecked = await _nodes.Worker.Endpoints.AttachAsync(SecondTaskId, "web.2.x", checkedTask, new EndpointRequest { Network = "ov", ServiceId = "web1", OutOfRotation = true });
        Assert.True(healthChecked.OutOfRotation);
        Assert.True(await UntilAsync(() => onManager.Remote.Of(network.Id).Count == 1));
        Assert.Empty(Backends(onManagerServices, network.Id));
        await _nodes.Worker.Endpoints.SetInRotationAsync(SecondTaskId, inRotation: true);
        Assert.True(await UntilAsync(() => Backends(onManagerServices, network.Id).SequenceEqual([healthChecked.IPv4!.Value.Address])));

        // A plain container cannot be out of a rotation it is not in.
        using var plain = NetworkNamespace.Host();
        Assert.False((await _nodes.Worker.Endpoints.AttachAsync(PlainId, "plain", plain, new EndpointRequest { Network = "ov", OutOfRotation = true })).OutOfRotation);
    }

    private static IPAddress[] Backends(ServiceTable table, NetworkId network) =>
        [.. table.ViewOf(network).Services.SelectMany(s => s.Backends).Select(b => b.Address)];

    private async Task<NetworkState> OverlayAsync()
    {
        await _nodes.Manager.Networks.AttachClusterAsync(Link("node-a", manager: true));
        await _nodes.Worker.Networks.AttachClusterAsync(Link("node-b", manager: false));
        var network = await _nodes.Manager.Networks.CreateAsync(new NetworkConfig { Name = "ov", Driver = "fakeswarm", Attachable = true });
        Assert.True(await UntilAsync(() => _nodes.Worker.Networks.Find(network.Id) is not null));
        return network;
    }

    private ClusterLink Link(string node, bool manager) => _nodes.Link(node, manager);

    private static async Task<bool> UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Within;
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
