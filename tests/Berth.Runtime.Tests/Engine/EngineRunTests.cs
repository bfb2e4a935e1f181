using Berth.Runtime.Engine;
using Berth.Runtime.Tests.Engine.Fakes;

namespace Berth.Runtime.Tests.Engine;

/// <summary>What happens after a run ends, through the services as the daemon wires them, over a fake runtime.</summary>
public sealed class EngineRunTests
{
    [Fact]
    public async Task An_exit_under_restart_always_is_followed_by_a_second_run_after_the_backoff()
    {
        await using var engine = await EngineHarness.StartAsync();
        var record = await engine.CreateAsync("svc", new RestartPolicy(RestartPolicy.Always));
        Assert.True(await engine.Lifecycle.StartAsync("svc"));
        int firstPid = engine.Records.Get(record.Id).Pid;

        engine.Runtime.Exit(record.Id.Value, 3);

        await EngineHarness.EventuallyAsync(() => engine.Records.Get(record.Id) is { Status: ContainerStatus.Running, RestartCount: 1 }, "the restart");
        var restarted = engine.Records.Get(record.Id);
        Assert.Equal(2, engine.Runtime.Creates);
        Assert.NotEqual(firstPid, restarted.Pid);
        Assert.False(restarted.ManuallyStopped);

        // A stop by the user is final: no third run.
        await engine.Lifecycle.StopAsync("svc", TimeSpan.FromSeconds(1));
        await Task.Delay(RestartBackoff.Initial * 3);
        Assert.Equal(ContainerStatus.Exited, engine.Records.Get(record.Id).Status);
        Assert.Equal(2, engine.Runtime.Creates);
    }

    [Fact]
    public async Task An_auto_removed_container_is_gone_after_its_exit_and_a_wait_for_removed_returns_its_code()
    {
        await using var engine = await EngineHarness.StartAsync();
        var record = await engine.CreateAsync("once", autoRemove: true);
        Assert.True(await engine.Lifecycle.StartAsync("once"));
        var removed = engine.Lifecycle.WaitAsync("once", "removed");

        engine.Runtime.Exit(record.Id.Value, 7);

        Assert.Equal(7, await removed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(engine.Records.TryGet(record.Id));
        Assert.False(engine.Runtime.Exists(record.Id.Value));
        using var destroy = engine.Events.Subscribe();
        Assert.Contains(destroy.History, e => e.Action == "destroy" && e.ActorId == record.Id.Value);
    }
}
