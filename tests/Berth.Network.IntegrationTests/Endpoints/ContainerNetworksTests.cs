using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Network.Containers;
using Berth.Network.Endpoints;

namespace Berth.Network.IntegrationTests.Endpoints;

/// <summary>A container's namespace made and wired before its process exists, for each network mode, and taken down again.</summary>
public sealed class ContainerNetworksTests : LabTest
{
    [RootFact]
    public async Task ModesBridgeNoneHostAndSeveralNetworks()
    {
        await using var docker = await BridgeDockerHost.StartAsync(NewLab(), Runner);
        var dockerHost = docker.Lab;
        var networks = docker.Networks;
        var endpoints = docker.Endpoints;
        var containers = new ContainerNetworks(Manager, endpoints);
        await docker.CreateNetworkAsync("front", "10.130.0.0/24");
        await docker.CreateNetworkAsync("back", "10.131.0.0/24");

        // default → the predefined bridge (berth0, 172.17.0.0/16).
        var web = await containers.PrepareAsync(new ContainerNetworkRequest { ContainerId = "aaaaaaaaaaaa1", ContainerName = "web" });
        Assert.True(web.OwnsNamespace);
        Assert.Equal("172.17.0.2/16", InNetnsAddress(web.NamespacePath!, "eth0"));
        Assert.True(InNetns.PingWithin(web.NamespacePath!, "172.17.0.1", TimeSpan.FromSeconds(5)), "the default bridge's gateway does not answer");

        // none → lo only, up.
        var none = await containers.PrepareAsync(new ContainerNetworkRequest { ContainerId = "bbbbbbbbbbbb1", ContainerName = "quiet", NetworkMode = "none" });
        string links = InNetns.Ip(none.NamespacePath!, "-o", "link", "show");
        Assert.Single(links.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("lo: <LOOPBACK,UP", links, StringComparison.Ordinal);

        // host → the host's own namespace: nothing to make.
        var hostMode = await containers.PrepareAsync(new ContainerNetworkRequest { ContainerId = "cccccccccccc1", ContainerName = "h", NetworkMode = "host" });
        Assert.Null(hostMode.NamespacePath);

        // Two networks: eth0 and eth1, the default route through the first.
        var fe = await containers.PrepareAsync(new ContainerNetworkRequest
        {
            ContainerId = "dddddddddddd1",
            ContainerName = "fe",
            NetworkMode = "front",
            Endpoints = [new EndpointRequest { Network = "front" }, new EndpointRequest { Network = "back" }],
        });
        Assert.Equal("10.130.0.2/24", InNetnsAddress(fe.NamespacePath!, "eth0"));
        Assert.Equal("10.131.0.2/24", InNetnsAddress(fe.NamespacePath!, "eth1"));
        string routes = InNetns.Ip(fe.NamespacePath!, "route");
        Assert.Contains("default via 10.130.0.1 dev eth0", routes, StringComparison.Ordinal);
        Assert.DoesNotContain("via 10.131.0.1", routes, StringComparison.Ordinal);

        // A failing endpoint undoes the others and the namespace: nothing half-made.
        var failure = await Assert.ThrowsAsync<BerthException>(() => containers.PrepareAsync(new ContainerNetworkRequest
        {
            ContainerId = "eeeeeeeeeeee1",
            ContainerName = "broken",
            NetworkMode = "front",
            Endpoints = [new EndpointRequest { Network = "front" }, new EndpointRequest { Network = "nosuchnet" }],
        }));
        Assert.Equal(ErrorKind.NotFound, failure.Kind);
        Assert.False(Manager.Exists(ContainerNetworks.NamespaceName("eeeeeeeeeeee1")));
        Assert.Empty(endpoints.OfContainer("eeeeeeeeeeee1"));

        foreach (var (id, name) in new[] { ("aaaaaaaaaaaa1", "web"), ("bbbbbbbbbbbb1", "quiet"), ("dddddddddddd1", "fe") })
        {
            await containers.ReleaseAsync(id, name);
            Assert.False(Manager.Exists(ContainerNetworks.NamespaceName(id)));
        }

        Assert.Empty(endpoints.OfNetwork(networks.GetAsync("front").Result.Id));
        Assert.True(Poll.Until(() => !dockerHost.Ip("-o", "link", "show", "type", "veth").Contains("veth", StringComparison.Ordinal), TimeSpan.FromSeconds(10)),
            "host ends of the released containers' veths are still there");
    }

    private static string InNetnsAddress(string path, string device) =>
        InNetns.Ip(path, "-o", "-4", "addr", "show", "dev", device).Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
}
