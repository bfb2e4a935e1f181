using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;
using Berth.Network.Services;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Cluster.Tests.Services;

/// <summary>
/// The cluster's side of the routing mesh: the ingress network made once per swarm by the leader, a service's VIP on it
/// for its ingress ports, the binding that tells every node what to publish, and the refusal without an ingress network.
/// </summary>
public sealed class IngressServiceTests
{
    private static readonly ServiceEndpointSpec Published = new()
    {
        Ports = [new ServicePort(PortProtocol.Tcp, 80, 8080), new ServicePort(PortProtocol.Udp, 53, 5353), new ServicePort(PortProtocol.Tcp, 22, 2222, PublishMode.Host)],
    };

    [Fact]
    public async Task AServicePublishingIngressPortsGetsAnIngressBindingWithThemAndNoNames()
    {
        await using var h = new ServicesHarness();
        var ingress = h.Networking.Add("ingress", ingress: true);
        var overlay = h.Networking.Add("web-net");
        var spec = ServicesHarness.Spec("web") with { Task = ServicesHarness.Spec("web").Task with { Networks = [new TaskNetwork("web-net")] }, Endpoint = Published };
        await h.Manager.CreateAsync(spec);

        var record = (await h.Manager.GetAsync("web")).Record;
        Assert.Equal(ingress.Id, record.IngressNetwork);
        var bindings = ServiceBindingSync.BindingsOf(record).ToList();
        Assert.Equal(2, bindings.Count);

        var onIngress = Assert.Single(bindings, b => b.Ingress);
        Assert.Equal(ingress.Id, onIngress.NetworkId.Value);
        Assert.NotNull(onIngress.Vip);
        // Only the ingress-mode ports, with the number every node publishes; the host-mode one is the task's own node's.
        Assert.Equal([new ServiceBindingPort("tcp", 80, 8080), new ServiceBindingPort("udp", 53, 5353)], onIngress.Ports.ToArray());
        onIngress.Validate();

        var onOverlay = Assert.Single(bindings, b => !b.Ingress);
        Assert.Equal(overlay.Id, onOverlay.NetworkId.Value);
        Assert.All(onOverlay.Ports, p => Assert.Equal(0, p.PublishedPort));
    }

    [Fact]
    public async Task AServiceWithHostPortsOnlyHasNoIngressNetworkNorBinding()
    {
        await using var h = new ServicesHarness();
        h.Networking.Add("ingress", ingress: true);
        await h.Manager.CreateAsync(ServicesHarness.Spec("web") with
        {
            Endpoint = new ServiceEndpointSpec { Ports = [new ServicePort(PortProtocol.Tcp, 80, 8080, PublishMode.Host)] },
        });

        var record = (await h.Manager.GetAsync("web")).Record;
        Assert.Null(record.IngressNetwork);
        Assert.Empty(record.VirtualIps);
        Assert.DoesNotContain(ServiceBindingSync.BindingsOf(record), b => b.Ingress);
    }

    [Fact]
    public async Task AnIngressPortWithoutAnIngressNetworkIsRefusedAndNothingIsMade()
    {
        await using var h = new ServicesHarness();

        var e = await Assert.ThrowsAsync<BerthException>(() => h.Manager.CreateAsync(ServicesHarness.Spec("web") with { Endpoint = Published }));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("service needs ingress network, but no ingress network is present", e.Message);
        Assert.Equal(0, await h.KeyCountAsync(ClusterKeys.Services));
        Assert.Empty(h.Networking.Claimed);
    }

    [Fact]
    public async Task TheLeaderMakesTheIngressNetworkOnceAndNeverAgainAfterItWasRemoved()
    {
        await using var h = new ServicesHarness();
        bool leading = false;
        await using var bootstrap = new IngressBootstrap(h.Store, h.Networking, () => leading, NullLogger.Instance);

        // Not the leader: nothing. The network layer not linked yet: an error the loop retries, and no note.
        Assert.False(await bootstrap.TryOnceAsync());
        leading = true;
        h.Networking.IngressUnavailable = true;
        await Assert.ThrowsAsync<BerthException>(() => bootstrap.TryOnceAsync());
        Assert.Null(await h.Store.GetAsync(ClusterKeys.IngressCreated));

        h.Networking.IngressUnavailable = false;
        Assert.True(await bootstrap.TryOnceAsync());
        Assert.Equal(1, h.Networking.IngressCreates);
        Assert.NotNull(await h.Networking.IngressNetworkAsync());
        Assert.NotNull(await h.Store.GetAsync(ClusterKeys.IngressCreated));

        // Noted: a later leader (or this one again) does not make it again, even if the user removed it.
        await using var later = new IngressBootstrap(h.Store, h.Networking, () => true, NullLogger.Instance);
        Assert.True(await later.TryOnceAsync());
        Assert.Equal(1, h.Networking.IngressCreates);
    }
}
