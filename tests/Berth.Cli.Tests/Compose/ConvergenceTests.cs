using System.Collections.Immutable;
using Berth.Api.Contracts;
using Berth.Compose.Model;
using Berth.Compose.Planning;

namespace Berth.Cli.Tests.Compose;

public sealed class ConvergenceTests
{
    private static readonly ServicePlan Db = ComposePlanner.Plan(GuideProjects.FrontBack()).Service("db");

    private static ExistingContainer Existing(int number, string? hash = null, string state = "running", string service = "db", bool oneOff = false, string networkMode = "app_backnet") =>
        new("id" + number, "app_db_" + number, service, number, hash ?? Db.ConfigHash, state, networkMode, oneOff);

    [Fact]
    public void UpTwiceChangesNothing()
    {
        var actions = Convergence.Plan(Db, [Existing(1)]);
        var keep = Assert.Single(actions);
        Assert.Equal((ContainerActionKind.Keep, 1, "app_db_1", "id1"), (keep.Kind, keep.Number, keep.Name, keep.Existing!.Id));
    }

    [Fact]
    public void MissingIsCreatedStoppedIsStartedChangedIsRecreated()
    {
        Assert.Equal([ContainerActionKind.Create], Convergence.Plan(Db, []).Select(a => a.Kind));
        Assert.Equal([ContainerActionKind.Start], Convergence.Plan(Db, [Existing(1, state: "exited")]).Select(a => a.Kind));
        Assert.Equal([ContainerActionKind.Recreate], Convergence.Plan(Db, [Existing(1, hash: "old")]).Select(a => a.Kind));
        Assert.Equal([ContainerActionKind.Recreate], Convergence.Plan(Db, [Existing(1)], forceRecreate: true).Select(a => a.Kind));
    }

    [Fact]
    public void ScaleCreatesAndRemovesByNumber()
    {
        var up = Convergence.Plan(Db with { Scale = 3 }, [Existing(1), Existing(2, state: "exited")]);
        Assert.Equal([(ContainerActionKind.Keep, 1), (ContainerActionKind.Start, 2), (ContainerActionKind.Create, 3)], up.Select(a => (a.Kind, a.Number)));
        Assert.Equal("app_db_3", up[2].Name);

        var down = Convergence.Plan(Db with { Scale = 1 }, [Existing(1), Existing(2), Existing(3)]);
        Assert.Equal([(ContainerActionKind.Keep, 1), (ContainerActionKind.Remove, 3), (ContainerActionKind.Remove, 2)], down.Select(a => (a.Kind, a.Number)));
    }

    [Fact]
    public void OneOffsAndOtherServicesAreLeftAlone()
    {
        var actions = Convergence.Plan(Db, [Existing(1, oneOff: true), Existing(1, service: "api")]);
        Assert.Equal([ContainerActionKind.Create], actions.Select(a => a.Kind));
    }

    [Fact]
    public void DuplicateNumberKeepsTheFittingOne()
    {
        var actions = Convergence.Plan(Db, [Existing(1, hash: "old") with { Id = "stale" }, Existing(1)]);
        Assert.Equal([(ContainerActionKind.Remove, "stale"), (ContainerActionKind.Keep, "id1")], actions.Select(a => (a.Kind, a.Existing!.Id)));
    }

    [Fact]
    public void SharedNamespaceElsewhereRecreates()
    {
        var actions = Convergence.Plan(Db, [Existing(1, networkMode: "container:old")], expectedNetworkMode: "container:new");
        Assert.Equal([ContainerActionKind.Recreate], actions.Select(a => a.Kind));
    }

    [Fact]
    public void ExistingContainerComesFromDockerComposesLabels()
    {
        var summary = new ContainerSummary
        {
            Id = "abcdef0123456789",
            Names = ["/dc_web_2"],
            State = "exited",
            Labels = new()
            {
                [ComposeLabels.Project] = "dc",
                [ComposeLabels.Service] = "web",
                [ComposeLabels.ContainerNumber] = "2",
                [ComposeLabels.OneOff] = "False",
                [ComposeLabels.ConfigHash] = "h",
            },
            HostConfig = new ContainerHostConfig { NetworkMode = "dc_back" },
        };
        Assert.Equal(new ExistingContainer("abcdef0123456789", "dc_web_2", "web", 2, "h", "exited", "dc_back", OneOff: false), ExistingContainer.FromSummary(summary));
        Assert.False(ExistingContainer.FromSummary(summary).Running);
    }

    [Fact]
    public void StartOrderFollowsDependenciesThenNames()
    {
        var services = new Dictionary<string, ComposeService>
        {
            ["web"] = new() { Name = "web", DependsOn = [new ServiceDependency("api")] },
            ["api"] = new() { Name = "api", DependsOn = [new ServiceDependency("db", DependencyCondition.Healthy), new ServiceDependency("migrate", DependencyCondition.CompletedSuccessfully)] },
            ["migrate"] = new() { Name = "migrate", DependsOn = [new ServiceDependency("db", DependencyCondition.Healthy)] },
            ["db"] = new() { Name = "db" },
            ["cache"] = new() { Name = "cache" },
            ["proxy"] = new() { Name = "proxy", NetworkMode = "service:web" },
        };
        Assert.Equal(["cache", "db", "migrate", "api", "web", "proxy"], DependencyOrder.Sort(services, out var cycle).ToArray());
        Assert.Empty(cycle);
        Assert.Equal(["api", "db", "migrate"], DependencyOrder.WithDependencies(services, ["api"]).Order(StringComparer.Ordinal));
    }
}
