using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.Cluster.Tests.Services;

/// <summary>
/// A task told to stop (or to go) by a previous leader carries that leader's clock in its record. The leader taking
/// over times the stop and remove timeouts from when it saw the order, so a previous leader 50 minutes behind does not
/// make the timeout lapse at once (a slot's next task beside one that may still run), nor one 50 minutes ahead hold
/// the slot for 50 minutes.
/// </summary>
public sealed class LeaderClockSkewTests
{
    private static readonly ServiceOrchestratorOptions Options = new() { StopTimeout = TimeSpan.FromSeconds(30), RemoveTimeout = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData(50)]
    [InlineData(-50)]
    public async Task AStopTimeoutSetByAPreviousLeaderOnAnotherClockRunsWholeOnTheNewLeadersClock(int skewMinutes)
    {
        await using var h = new ServicesHarness(Options);
        await using var previous = await PreviousLeaderAsync(h, skewMinutes);
        await h.AddNodeAsync("silent");
        var id = (await h.Manager.CreateAsync(ServicesHarness.Spec("web", 1) with { Update = new UpdatePolicy { Monitor = TimeSpan.Zero } })).Id;
        await previous.ReconcileOnceAsync();
        await h.AgentsAsync();
        var old = Assert.Single(await h.LiveAsync(id));

        // Stop-first update: the previous leader tells the old task to stop; its node never reports it stopped.
        await h.UpdateImageAsync("nginx");
        await previous.ReconcileOnceAsync();
        var told = (await h.TasksAsync(id)).Single(t => t.Record.Id == old.Record.Id);
        Assert.Equal(TaskState.Shutdown, told.Record.DesiredState);
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromMinutes(skewMinutes), told.Record.UpdatedAt);

        await h.LeadAsync();
        Assert.True(await h.Orchestrator.ReconcileOnceAsync());
        Assert.Empty(await h.LiveAsync(id));
        h.Time.Advance(TimeSpan.FromSeconds(29));
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Empty(await h.LiveAsync(id));

        h.Time.Advance(TimeSpan.FromSeconds(2));
        await h.Orchestrator.ReconcileOnceAsync();
        var next = Assert.Single(await h.LiveAsync(id));
        Assert.Equal((1, "nginx"), (next.Record.Slot, next.Record.Spec.Container.Image));
    }

    /// <summary>
    /// A manager that led before, and leads again after another leader's term, has nothing to go by from its old term:
    /// its last read (an hour ago) would make a stamp 50 minutes old look recent enough to believe.
    /// </summary>
    [Fact]
    public async Task ALeaderBackForANewTermForgetsWhatItSawInItsLastOne()
    {
        await using var h = new ServicesHarness(Options);
        await h.LeadAsync();
        await h.AddNodeAsync("silent");
        var id = (await h.Manager.CreateAsync(ServicesHarness.Spec("web", 1) with { Update = new UpdatePolicy { Monitor = TimeSpan.Zero } })).Id;
        await h.ConvergeAsync(2);
        h.Time.Advance(TimeSpan.FromHours(1));

        await using var previous = await PreviousLeaderAsync(h, -50);
        await h.UpdateImageAsync("nginx");
        await previous.ReconcileOnceAsync();
        Assert.Empty(await h.LiveAsync(id));

        await h.LeadAsync();
        await h.Orchestrator.ReconcileOnceAsync();
        h.Time.Advance(TimeSpan.FromSeconds(29));
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Empty(await h.LiveAsync(id));
        h.Time.Advance(TimeSpan.FromSeconds(2));
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Equal("nginx", Assert.Single(await h.LiveAsync(id)).Record.Spec.Container.Image);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(-50)]
    public async Task ARemoveTimeoutSetByAPreviousLeaderOnAnotherClockRunsWholeOnTheNewLeadersClock(int skewMinutes)
    {
        await using var h = new ServicesHarness(Options);
        await using var previous = await PreviousLeaderAsync(h, skewMinutes);
        await h.AddNodeAsync("silent");
        await h.Manager.CreateAsync(ServicesHarness.Spec("web", 2));
        await previous.ReconcileOnceAsync();
        await h.AgentsAsync();

        await h.Manager.RemoveAsync("web");
        await previous.ReconcileOnceAsync();
        Assert.All(await h.TasksAsync(), t => Assert.Equal(TaskState.Remove, t.Record.DesiredState));

        await h.LeadAsync();
        Assert.True(await h.Orchestrator.ReconcileOnceAsync());
        Assert.Equal(2, (await h.TasksAsync()).Count);
        h.Time.Advance(TimeSpan.FromSeconds(29));
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Equal(2, (await h.TasksAsync()).Count);

        h.Time.Advance(TimeSpan.FromSeconds(2));
        await h.Orchestrator.ReconcileOnceAsync();
        Assert.Empty(await h.TasksAsync());
        Assert.Equal(0, await h.KeyCountAsync(ClusterKeys.TaskStatuses));
    }

    /// <summary>A second manager's orchestrator on the same store, its clock <paramref name="skewMinutes"/> off the harness's, leading.</summary>
    private static async Task<ServiceOrchestrator> PreviousLeaderAsync(ServicesHarness h, int skewMinutes)
    {
        var node = NodeId.New();
        var clock = new FakeTimeProvider(h.Time.GetUtcNow() + TimeSpan.FromMinutes(skewMinutes));
        await h.LeadAsync(node);
        return new ServiceOrchestrator(h.Store, node, clock, NullLogger.Instance, Options);
    }
}
