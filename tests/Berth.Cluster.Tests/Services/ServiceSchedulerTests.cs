using System.Collections.Immutable;
using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Berth.Core.Errors;

namespace Berth.Cluster.Tests.Services;

public sealed class ServiceSchedulerTests
{
    private static readonly ServiceId Web = ServiceId.New();

    private static SchedulerNode Node(string name, ClusterRole role = ClusterRole.Worker, bool ready = true, NodeAvailability availability = NodeAvailability.Active, string? zone = null) =>
        new(NodeId.New(), name, role, availability, ready)
        {
            Labels = zone is null ? ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal)
                : ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("zone", zone)]),
        };

    private static ServicePlacementRules Rules(params string[] constraints) =>
        ServicePlacementRules.From(Web, new TaskSpec { Container = new ContainerTaskSpec { Image = "x" }, Placement = new TaskPlacement { Constraints = [.. constraints] } });

    [Fact]
    public void ConstraintsChooseTheNodesAndExplainWhenNoneFits()
    {
        var manager = Node("m1", ClusterRole.Manager);
        var nodes = new[] { manager, Node("w1"), Node("w2") };

        var scheduler = new ServiceScheduler(nodes, []);
        Assert.Equal(manager.Id, scheduler.Place(Rules("node.role==manager")).Node);
        Assert.Equal(nodes[1].Id, new ServiceScheduler(nodes, []).Place(Rules("node.hostname == w1")).Node);
        Assert.NotEqual(manager.Id, new ServiceScheduler(nodes, []).Place(Rules("node.role!=manager")).Node);

        var none = new ServiceScheduler(nodes, []).Place(Rules("node.labels.zone==east"));
        Assert.Null(none.Node);
        Assert.Equal("no suitable node (scheduling constraints not satisfied on 3 nodes)", none.Message);
    }

    [Fact]
    public void OnlyReadyActiveNodesTakeTasks()
    {
        var nodes = new[] { Node("down", ready: false), Node("drained", availability: NodeAvailability.Drain), Node("paused", availability: NodeAvailability.Pause) };

        var none = new ServiceScheduler(nodes, []).Place(Rules());

        Assert.Equal("no suitable node (3 nodes not available for new tasks)", none.Message);
        Assert.Equal("no suitable node", new ServiceScheduler([], []).Place(Rules()).Message);
    }

    [Fact]
    public void MaxReplicasPerNodeIsHonouredAndExplained()
    {
        var nodes = new[] { Node("a"), Node("b") };
        var rules = Rules() with { MaxReplicas = 1 };
        var scheduler = new ServiceScheduler(nodes, []);

        var first = scheduler.Place(rules).Node;
        var second = scheduler.Place(rules).Node;
        var third = scheduler.Place(rules);

        Assert.NotEqual(first, second);
        Assert.Null(third.Node);
        Assert.Equal("no suitable node (max replicas per node limit exceed)", third.Message);
    }

    [Fact]
    public void AHostModePortKeepsTwoTasksHoldingItOffOneNode()
    {
        var nodes = new[] { Node("a"), Node("b") };
        var spec = new ServiceSpec
        {
            Name = "edge",
            Task = new TaskSpec { Container = new ContainerTaskSpec { Image = "x" } },
            Endpoint = new ServiceEndpointSpec { Ports = [new ServicePort(PortProtocol.Tcp, 80, 8080, PublishMode.Host)] },
        };
        var rules = ServicePlacementRules.From(Web, spec);
        var scheduler = new ServiceScheduler(nodes, []);

        Assert.NotEqual(scheduler.Place(rules).Node, scheduler.Place(rules).Node);
        Assert.Equal("no suitable node (host-mode port already in use on 2 nodes)", scheduler.Place(rules).Message);
        Assert.NotNull(scheduler.Place(ServicePlacementRules.From(ServiceId.New(), spec.Task)).Node);
    }

    [Fact]
    public void TasksSpreadByFewestOfTheServiceThenFewestOverallThenNodeId()
    {
        var a = Node("a");
        var b = Node("b");
        var other = ServiceId.New();
        // b carries another service's task: with none of ours anywhere, a (fewer overall) comes first.
        var scheduler = new ServiceScheduler([a, b], [new ScheduledTask(other, b.Id, new TaskResources())]);

        Assert.Equal(a.Id, scheduler.Place(Rules()).Node);
        Assert.Equal(b.Id, scheduler.Place(Rules()).Node);
        // One each of ours; a has fewer overall.
        Assert.Equal(a.Id, scheduler.Place(Rules()).Node);
    }

    [Fact]
    public void SpreadPreferencesBalanceLabelGroupsBeforeNodes()
    {
        var east1 = Node("e1", zone: "east");
        var east2 = Node("e2", zone: "east");
        var east3 = Node("e3", zone: "east");
        var west = Node("w1", zone: "west");
        var rules = Rules() with { Spread = ["node.labels.zone"] };
        var scheduler = new ServiceScheduler([east1, east2, east3, west], []);

        var placed = Enumerable.Range(0, 4).Select(_ => scheduler.Place(rules).Node!.Value).ToList();

        Assert.Equal(2, placed.Count(n => n == west.Id));
        Assert.Equal(2, placed.Count(n => n != west.Id));
    }

    [Theory]
    [InlineData("node.labels.zone != east", "node.labels.zone", ConstraintOperator.NotEqual, "east")]
    [InlineData("Node.Role==Manager", "node.role", ConstraintOperator.Equal, "Manager")]
    [InlineData("engine.labels.Disk==ssd", "engine.labels.Disk", ConstraintOperator.Equal, "ssd")]
    public void ConstraintsParse(string expression, string key, ConstraintOperator op, string value)
    {
        var parsed = PlacementConstraint.Parse(expression);

        Assert.Equal(new PlacementConstraint(key, op, value), parsed);
    }

    [Theory]
    [InlineData("node.labels.zone")]
    [InlineData("node.labels.==x")]
    [InlineData("node.hostname==a<b")]
    [InlineData("node.ip==10.0.0.1")]
    public void BadConstraintsAreInvalidArgumentsNamingTheExpression(string expression)
    {
        var e = Assert.Throws<BerthException>(() => PlacementConstraint.Parse(expression));

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.StartsWith($"invalid constraint \"{expression}\"", e.Message, StringComparison.Ordinal);
    }
}
