using System.Collections.Immutable;
using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Berth.Diagnostics.Topology;
using Berth.Linux.Namespaces;
using static Berth.Diagnostics.Tests.Topology.TopologyLab;

namespace Berth.Diagnostics.Tests.Topology;

/// <summary>
/// The swarm part on fakes of <see cref="ISwarm"/> and <see cref="IServices"/>: a manager sees every node and the
/// tasks on each overlay, as the guide's diagram has them; a worker says that only managers know.
/// </summary>
public sealed class TopologySwarmTests : IDisposable
{
    private readonly NetworkNamespace host = NetworkNamespace.Host();

    public void Dispose() => host.Dispose();

    [Fact]
    public async Task On_a_manager_an_overlay_shows_each_node_with_the_service_replicas_on_it_and_the_ingress_port()
    {
        var backend = NetworkOf("backend", "overlay", "10.0.1.0/24", "10.0.1.1", scope: "swarm");
        var n1 = FakeSwarm.Node("n1", "10.0.0.1", ClusterRole.Manager, leader: true);
        var n2 = FakeSwarm.Node("n2", "10.0.0.2", ClusterRole.Worker);
        var n3 = FakeSwarm.Node("n3", "10.0.0.3", ClusterRole.Worker);
        var web = Service("web", backend, new ServicePort(PortProtocol.Tcp, 80, 8080));
        var services = new FakeServices([web],
        [
            Task(web, 1, n1, backend, "10.0.1.3/24"),
            Task(web, 2, n2, backend, "10.0.1.4/24"),
            Task(web, 3, n3, backend, "10.0.1.5/24"),
        ]);
        var swarm = new FakeSwarm(new SwarmLocalStatus(SwarmLocalState.Active, n1.Record.Id, "10.0.0.1", ClusterRole.Manager, ""), [n3, n1, n2]);

        var topology = await new TopologyBuilder(Sources(backend, swarm, services)).BuildAsync();
        string text = TopologyText.Render(topology);

        Assert.Contains(
            "overlay backend 10.0.1.0/24 gw 10.0.1.1 (vni 4097)\n" +
            "├─ node n1 (this host) 10.0.0.1\n" +
            "│  └─ web.1 10.0.1.3/24 running\n" +
            "├─ node n2 10.0.0.2\n" +
            "│  └─ web.2 10.0.1.4/24 running\n" +
            "└─ node n3 10.0.0.3\n" +
            "   └─ web.3 10.0.1.5/24 running\n", text, StringComparison.Ordinal);
        Assert.Contains(
            "swarm nodes\n" +
            "├─ n1 10.0.0.1 leader ready active (this node)\n" +
            "├─ n2 10.0.0.2 worker ready active\n" +
            "└─ n3 10.0.0.3 worker ready active\n", text, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0:8080/tcp → web *:80 (via ingress)", text, StringComparison.Ordinal);
        Assert.Equal(["running"], services.LastFilter!.DesiredStates);
        Assert.Empty(topology.Notes);
    }

    [Fact]
    public async Task Nodes_of_one_name_stay_apart_and_a_host_mode_port_is_on_the_address_of_each_node_with_a_task()
    {
        var backend = NetworkOf("backend", "overlay", "10.0.1.0/24", "10.0.1.1", scope: "swarm");
        var n1 = FakeSwarm.Node("vm", "10.0.0.1", ClusterRole.Manager, leader: true);
        var n2 = FakeSwarm.Node("vm", "10.0.0.2", ClusterRole.Worker);
        var web = Service("hostweb", backend, new ServicePort(PortProtocol.Tcp, 9090, 9090, PublishMode.Host));
        var services = new FakeServices([web], [Task(web, 1, n2, backend, "10.0.1.4/24")]);
        var swarm = new FakeSwarm(new SwarmLocalStatus(SwarmLocalState.Active, n1.Record.Id, "10.0.0.1", ClusterRole.Manager, ""), [n1, n2]);

        var topology = await new TopologyBuilder(Sources(backend, swarm, services)).BuildAsync();
        string text = TopologyText.Render(topology);

        Assert.Contains("overlay backend 10.0.1.0/24 gw 10.0.1.1 (vni 4097)\n└─ node vm 10.0.0.2\n   └─ hostweb.1 10.0.1.4/24 running\n", text, StringComparison.Ordinal);
        Assert.Equal(n2.Record.Id.Value, Assert.Single(Assert.Single(topology.Networks, n => n.Name == "backend").Tasks).NodeId);
        Assert.Contains("10.0.0.2:9090/tcp → hostweb *:9090 (via host mode)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_shows_the_overlays_nodes_it_knows_and_says_the_tasks_are_a_managers()
    {
        var backend = NetworkOf("backend", "overlay", "10.0.1.0/24", "10.0.1.1", scope: "swarm");
        var swarm = new FakeSwarm(new SwarmLocalStatus(SwarmLocalState.Active, NodeId.New(), "10.0.0.2", ClusterRole.Worker, ""), []);
        var sources = Sources(backend, swarm, new FakeServices([], []));
        var withPeers = new DiagnosticSources
        {
            Networks = sources.Networks,
            Containers = sources.Containers,
            Host = sources.Host,
            Drivers = sources.Drivers,
            Swarm = sources.Swarm,
            Services = sources.Services,
            NetworkPeers = _ => [("n1", "10.0.0.1"), ("n3", "10.0.0.3")],
        };

        var topology = await new TopologyBuilder(withPeers).BuildAsync();
        string text = TopologyText.Render(topology);

        Assert.Contains("overlay backend 10.0.1.0/24 gw 10.0.1.1 (vni 4097)\n├─ node n1 10.0.0.1\n└─ node n3 10.0.0.3\n", text, StringComparison.Ordinal);
        // A worker knows itself: which of the peers is this host.
        var self = Assert.Single(topology.Nodes);
        Assert.Equal(("worker", "10.0.0.2", true), (self.Role, self.Address, self.Self));
        var note = Assert.Single(topology.Notes);
        Assert.StartsWith("swarm: this node is a worker", note, StringComparison.Ordinal);
    }

    private DiagnosticSources Sources(Core.Networks.NetworkState network, ISwarm swarm, IServices services) => new()
    {
        Networks = new StubNetworks(network),
        Containers = new StubContainers(),
        Host = host,
        Drivers = TopologyBuilderTests.Drivers(),
        Swarm = swarm,
        Services = services,
    };

    private static ServiceView Service(string name, Core.Networks.NetworkState network, ServicePort port) => new(
        new ServiceRecord
        {
            Id = ServiceId.New(),
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
            Spec = new ServiceSpec { Name = name, Task = TaskSpecOn(network) },
            Ports = [port],
        },
        1, 3, 3, 0);

    private static TaskSpec TaskSpecOn(Core.Networks.NetworkState network) =>
        new() { Container = new ContainerTaskSpec { Image = "bb:latest" }, Networks = [new TaskNetwork(network.Id.Value)] };

    private static TaskView Task(ServiceView service, int slot, NodeView node, Core.Networks.NetworkState network, string address)
    {
        var id = TaskId.New();
        var record = new TaskRecord
        {
            Id = id,
            ServiceId = service.Record.Id,
            Slot = slot,
            Node = node.Record.Id,
            DesiredState = TaskState.Running,
            SpecVersion = 1,
            Spec = service.Record.Spec.Task,
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
            State = TaskState.Assigned,
        };
        var status = new TaskRunStatus
        {
            Task = id,
            Node = node.Record.Id,
            State = TaskState.Running,
            Timestamp = DateTimeOffset.UnixEpoch,
            Addresses = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(network.Id.Value, address)]),
        };
        return new TaskView(record, 1, status, service.Record.Spec.Name);
    }
}
