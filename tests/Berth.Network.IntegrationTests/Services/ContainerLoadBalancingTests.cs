using System.Net;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;
using Berth.Network.Cluster;
using Berth.Network.Containers;
using Berth.Network.IntegrationTests.Endpoints;
using Berth.Network.Endpoints;
using Berth.Network.Services;

namespace Berth.Network.IntegrationTests.Services;

/// <summary>
/// The load balancer as ContainerNetworks drives it: task containers made with their service, a client made after the
/// service exists gets the table at once, a task released leaves the rotation, a client released is forgotten.
/// (A bridge network stands in for an overlay: the table keys services by network id, whatever the driver.)
/// </summary>
public sealed class ContainerLoadBalancingTests : LabTest
{
    private const ushort Port = 8081;
    private static readonly IPAddress Vip = IPAddress.Parse("10.132.0.200");
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(5);

    [RootFact]
    public async Task A_client_started_after_the_service_balances_over_the_task_containers_and_follows_their_release()
    {
        await using var docker = await BridgeDockerHost.StartAsync(NewLab(), Runner);
        var store = docker.Store;
        var endpoints = docker.Endpoints;
        var front = await docker.CreateNetworkAsync("front", "10.132.0.0/24");

        // Backends: the network's endpoints naming the service (in the daemon, the cluster records; here the local ones).
        await using var table = new ServiceTable(network => endpoints.OfNetwork(network).Select(e => new RemoteEndpoint
        {
            Node = "here", Vtep = IPAddress.Loopback, NetworkId = e.NetworkId, EndpointId = e.EndpointId, ContainerId = e.ContainerId,
            ContainerName = e.ContainerId, MacAddress = e.MacAddress, IPv4 = e.IPv4?.Address, ServiceId = e.ServiceId,
        }).ToList());
        using var balancer = new ServiceLoadBalancer(table, runner: Runner);
        var containers = new ContainerNetworks(Manager, endpoints, loadBalancer: balancer);
        // A watch from revision 0 starts "from now" (etcd's rule): give the store a revision first, so no later put is missed.
        await store.PutAsync("test/seed", new byte[] { 1 });
        await table.ConnectAsync(store);
        await new ServiceBindings(store).PublishAsync(new ServiceBinding
        {
            NetworkId = front.Id, ServiceId = "web1", Name = "web", Vip = Vip, Ports = [new ServiceBindingPort("tcp", Port)],
        });

        using var stopping = new CancellationTokenSource();
        var servers = new List<Task>();
        try
        {
            foreach (string task in new[] { "t1", "t2" })
            {
                var made = await containers.PrepareAsync(new ContainerNetworkRequest
                {
                    ContainerId = task + "0000000000", ContainerName = task, NetworkMode = "front",
                    Endpoints = [new EndpointRequest { Network = "front", ServiceId = "web1" }],
                });
                using var ns = NetworkNamespace.OpenPath(made.NamespacePath!, Runner);
                servers.Add(TaskServer.Serve(ns, task, new IPEndPoint(made.Endpoints.Single().IPv4!.Value.Address, Port), stopping.Token));
            }

            table.Invalidate(front.Id);
            Assert.True(Poll.Until(() => table.ViewOf(front.Id).Services.Sum(v => v.Backends.Length) == 2, Quick));

            var client = await containers.PrepareAsync(new ContainerNetworkRequest
            {
                ContainerId = "c10000000000", ContainerName = "client", NetworkMode = "front", Endpoints = [new EndpointRequest { Network = "front" }],
            });
            using var clientNs = NetworkNamespace.OpenPath(client.NamespacePath!, Runner);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < 40; i++)
            {
                seen.Add(Ask(clientNs) ?? "failed");
            }

            Assert.Equal(["t1", "t2"], seen.Order(StringComparer.Ordinal));

            // t1 released (stopped): the rotation has only t2.
            await containers.ReleaseAsync("t10000000000", "t1");
            table.Invalidate(front.Id);
            Assert.True(Poll.Until(() => table.ViewOf(front.Id).Services.Sum(v => v.Backends.Length) == 1, Quick));
            Assert.True(Poll.Until(() => Enumerable.Range(0, 20).All(_ => Ask(clientNs) == "t2"), Quick), "t1 stayed in the rotation");

            // The client released: forgotten (its table went with its namespace).
            await containers.ReleaseAsync("c10000000000", "client");
            Assert.DoesNotContain("c10000000000", balancer.Clients);
        }
        finally
        {
            await stopping.CancelAsync();
            foreach (var (id, name) in new[] { ("t10000000000", "t1"), ("t20000000000", "t2"), ("c10000000000", "client") })
            {
                await containers.ReleaseAsync(id, name);
            }

            await Task.WhenAll(servers);
        }
    }

    private static string? Ask(NetworkNamespace client) => TaskServer.Ask(client, new IPEndPoint(Vip, Port), Quick).Answer;
}
