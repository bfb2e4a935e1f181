using System.Collections.Immutable;
using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Core.Networks;

namespace Berth.Cluster.Tests.Services;

public sealed class TaskContainersTests
{
    private static readonly NodeId Node = NodeId.New();

    private static TaskRecord Task(int slot, TaskSpec spec) => new()
    {
        Id = TaskId.New(),
        ServiceId = ServiceId.New(),
        Slot = slot,
        Node = Node,
        DesiredState = TaskState.Running,
        SpecVersion = 1,
        Spec = spec,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void AReplicatedTaskIsNamedBySlotAndAGlobalOneByNodeAndBothCarryDockersLabels()
    {
        var spec = new TaskSpec { Container = new ContainerTaskSpec { Image = "bb:latest", Labels = new SortedDictionary<string, string> { ["mine"] = "yes" }.ToImmutableSortedDictionary(StringComparer.Ordinal) } };
        var replica = Task(2, spec);
        var global = Task(0, spec);

        Assert.Equal($"web.2.{replica.Id.Value}", TaskContainers.ContainerName(replica, "web"));
        Assert.Equal($"web.{Node.Value}.{global.Id.Value}", TaskContainers.ContainerName(global, "web"));

        var labels = TaskContainers.CreateSpec(replica, "web", Node).Labels;
        Assert.Equal(replica.Id.Value, labels["com.docker.swarm.task.id"]);
        Assert.Equal($"web.2.{replica.Id.Value}", labels["com.docker.swarm.task.name"]);
        Assert.Equal(Node.Value, labels["com.docker.swarm.node.id"]);
        Assert.Equal(replica.ServiceId.Value, labels["com.docker.swarm.service.id"]);
        Assert.Equal("web", labels["com.docker.swarm.service.name"]);
        Assert.Equal("", labels["com.docker.swarm.task"]);
        Assert.Equal("yes", labels["mine"]);
        Assert.Equal(replica.Id, TaskContainers.TaskOf(labels));
        Assert.Null(TaskContainers.TaskOf(new Dictionary<string, string> { ["com.docker.swarm.task.id"] = "not-an-id" }));
    }

    [Fact]
    public void TheContainerSpecCarriesTheTasksCommandEnvironmentNetworksAndHosts()
    {
        var spec = new TaskSpec
        {
            Container = new ContainerTaskSpec
            {
                Image = "bb:latest",
                Command = ["sh", "-c"],
                Args = ["sleep 1"],
                Env = ["A=1"],
                Dir = "/tmp",
                User = "nobody",
                Hosts = ["10.1.2.3 db"],
                ReadOnly = true,
                Healthcheck = new TaskHealthcheck { Test = ["CMD", "true"], Interval = TimeSpan.FromSeconds(2), Retries = 3 },
            },
            Networks = [new TaskNetwork("net-one-id") { Aliases = ["api"] }, new TaskNetwork("net-two-id")],
        };

        var made = TaskContainers.CreateSpec(Task(1, spec), "web", Node);

        Assert.Equal(["sh", "-c"], made.Entrypoint!.Value.ToArray());
        Assert.Equal(["sleep 1"], made.Cmd!.Value.ToArray());
        Assert.Equal(["A=1"], made.Env.ToArray());
        Assert.Equal("/tmp", made.WorkingDir);
        Assert.Equal("nobody", made.User);
        Assert.True(made.ReadonlyRootfs);
        Assert.Equal(["db:10.1.2.3"], made.ExtraHosts.ToArray());
        Assert.Equal(2_000_000_000, made.Healthcheck!.Interval);
        Assert.Equal(["net-one-id", "net-two-id"], made.Endpoints.Select(e => e.Network));
        Assert.Equal(["api"], made.Endpoints[0].Aliases.ToArray());
        Assert.Equal(NetworkMode.Network("net-one-id"), made.NetworkMode);
    }

    [Fact]
    public void ATaskWithoutNetworksRunsOnTheDefaultNetwork()
    {
        var made = TaskContainers.CreateSpec(Task(1, new TaskSpec { Container = new ContainerTaskSpec { Image = "bb:latest" } }), "web", Node);

        Assert.Empty(made.Endpoints);
        Assert.Equal(NetworkMode.Default, made.NetworkMode);
        Assert.Null(made.Cmd);
        Assert.Null(made.Entrypoint);
    }

    [Fact]
    public void HostModePortsArePublishedOnTheNodeAndIngressOnesAreNot()
    {
        var ports = new[]
        {
            new ServicePort(PortProtocol.Tcp, 80, 8080, PublishMode.Host),
            new ServicePort(PortProtocol.Udp, 53, 5353, PublishMode.Host),
            new ServicePort(PortProtocol.Tcp, 443, 8443, PublishMode.Ingress),
        };

        var made = TaskContainers.CreateSpec(Task(1, new TaskSpec { Container = new ContainerTaskSpec { Image = "bb:latest" } }), "web", Node, ports);

        Assert.Equal(["80/tcp 8080", "53/udp 5353"], made.PortBindings.Select(b => $"{b.Port} {b.HostPortStart}"));
        Assert.All(made.PortBindings, b => Assert.Null(b.HostIp));
    }

    [Fact]
    public void ATaskWithAnIngressPortJoinsTheIngressNetworkLastAsABackend()
    {
        var spec = new TaskSpec { Container = new ContainerTaskSpec { Image = "bb:latest" }, Networks = [new TaskNetwork("net-one-id")] };
        ServicePort[] ingress = [new ServicePort(PortProtocol.Tcp, 80, 8080, PublishMode.Ingress)];
        ServicePort[] hostOnly = [new ServicePort(PortProtocol.Tcp, 80, 8080, PublishMode.Host)];

        var task = Task(1, spec);
        var made = TaskContainers.CreateSpec(task, "web", Node, ingress, ingressNetwork: "ingress-id");
        Assert.Equal(["net-one-id", "ingress-id"], made.Endpoints.Select(e => e.Network));
        Assert.All(made.Endpoints, e => Assert.Equal(task.ServiceId.Value, e.ServiceId));
        Assert.Empty(made.Endpoints[1].Aliases);
        Assert.Equal("net-one-id", made.NetworkMode.ToString());

        Assert.Equal(["net-one-id"], TaskContainers.CreateSpec(task, "web", Node, hostOnly, ingressNetwork: "ingress-id").Endpoints.Select(e => e.Network));
        Assert.Equal(["net-one-id"], TaskContainers.CreateSpec(task, "web", Node, ingress).Endpoints.Select(e => e.Network));

        // No network of its own: ingress is its only (and primary) network, as Docker's.
        var alone = TaskContainers.CreateSpec(Task(2, spec with { Networks = [] }), "web", Node, ingress, ingressNetwork: "ingress-id");
        Assert.Equal(["ingress-id"], alone.Endpoints.Select(e => e.Network));
        Assert.Equal("ingress-id", alone.NetworkMode.ToString());
    }

    [Fact]
    public void TemplatesInTheHostnameEnvironmentAndMountsAreExpanded()
    {
        var spec = new TaskSpec
        {
            Container = new ContainerTaskSpec
            {
                Image = "bb:latest",
                Hostname = "{{.Service.Name}}-{{.Task.Slot}}",
                Env = ["NODE={{.Node.Hostname}}", "PLAIN=1"],
                Mounts = [new ServiceMount("volume", "/data") { Source = "data-{{.Task.Slot}}" }],
            },
        };
        var task = Task(3, spec);
        var template = new TaskTemplate
        {
            ServiceId = task.ServiceId.Value,
            ServiceName = "web",
            NodeId = Node.Value,
            NodeHostname = "vm7",
            TaskId = task.Id.Value,
            TaskName = TaskContainers.ContainerName(task, "web"),
            TaskSlot = task.Slot,
        };

        var made = TaskContainers.CreateSpec(task, "web", Node, template: template);

        Assert.Equal("web-3", made.Hostname);
        Assert.Equal(["NODE=vm7", "PLAIN=1"], made.Env.ToArray());
        Assert.Equal("data-3", made.Mounts.Single().Source);
        // Without a template context the text is kept as written.
        Assert.Equal("{{.Service.Name}}-{{.Task.Slot}}", TaskContainers.CreateSpec(task, "web", Node).Hostname);
    }

    [Fact]
    public void TheTasksLimitsBecomeTheContainersCpuMemoryAndPidsLimits()
    {
        var spec = new TaskSpec
        {
            Container = new ContainerTaskSpec { Image = "bb:latest" },
            Resources = new TaskResources { LimitNanoCpus = 500_000_000, LimitMemoryBytes = 64 << 20, LimitPids = 50, ReserveMemoryBytes = 32 << 20 },
        };

        var resources = TaskContainers.CreateSpec(Task(1, spec), "web", Node).Resources;

        Assert.Equal(500_000_000, resources.NanoCpus);
        Assert.Equal(64L << 20, resources.Memory);
        Assert.Equal(50, resources.PidsLimit);
        Assert.Equal(0, resources.MemoryReservation);
    }

    [Fact]
    public void ATaskWithoutLimitsGivesTheContainerNone()
    {
        var spec = new TaskSpec { Container = new ContainerTaskSpec { Image = "bb:latest" } };

        Assert.True(TaskContainers.CreateSpec(Task(1, spec), "web", Node).Resources.IsEmpty);
    }
}
