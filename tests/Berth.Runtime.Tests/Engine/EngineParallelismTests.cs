using Berth.Runtime.Engine;
using Berth.Runtime.Tests.Engine.Fakes;

namespace Berth.Runtime.Tests.Engine;

/// <summary>
/// The engine serialises work per container, not globally (<see cref="ContainerSlots"/>): starts of different
/// containers overlap, <c>runc create</c> included, and concurrent starts of one container create it once. Over a
/// fake runtime (<see cref="EngineHarness"/>): no root, no runc, no kernel.
/// </summary>
public sealed class EngineParallelismTests
{
    /// <summary>Long enough for a loaded 2-core machine to enter every create; far shorter than N serialised waits would need.</summary>
    private static readonly TimeSpan BarrierTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Starts_of_different_containers_run_their_creates_at_the_same_time()
    {
        const int Count = 6;
        await using var engine = await EngineHarness.StartAsync();
        var names = Enumerable.Range(1, Count).Select(i => $"web{i}").ToList();
        foreach (string name in names)
        {
            await engine.CreateAsync(name);
        }

        // Every create waits until all of them have entered: if the engine serialised starts, the first would wait
        // alone, time out, and its start fail.
        int entered = 0;
        var everyoneIn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.Runtime.OnCreate = async (_, cancellationToken) =>
        {
            if (Interlocked.Increment(ref entered) == Count)
            {
                everyoneIn.TrySetResult();
            }

            try
            {
                await everyoneIn.Task.WaitAsync(BarrierTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"only {Volatile.Read(ref entered)} of {Count} creates were in flight after {BarrierTimeout.TotalSeconds} s: the starts were serialised");
            }
        };

        bool[] started = await Task.WhenAll(names.Select(name => Task.Run(() => engine.Lifecycle.StartAsync(name))));

        Assert.All(started, Assert.True);
        Assert.Equal(Count, engine.Runtime.Creates);
        Assert.Equal(Count, engine.Runtime.MaxConcurrentCreates);
        Assert.All(names, name => Assert.Equal(ContainerStatus.Running, engine.Records.Find(name).Status));
        Assert.Equal(Count, names.Select(name => engine.Records.Find(name).Pid).Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_starts_of_one_container_create_it_once()
    {
        const int Callers = 8;
        await using var engine = await EngineHarness.StartAsync();
        var record = await engine.CreateAsync("db");

        // The first create is held until every caller has asked; the others must wait for its lock, then see it running.
        var inCreate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.Runtime.OnCreate = async (_, cancellationToken) =>
        {
            inCreate.TrySetResult();
            await release.Task.WaitAsync(BarrierTimeout, cancellationToken);
        };

        var starts = Enumerable.Range(0, Callers).Select(_ => Task.Run(() => engine.Lifecycle.StartAsync(record.Id.Value))).ToList();
        await inCreate.Task.WaitAsync(BarrierTimeout);
        Assert.Equal(1, engine.Slots.Locked);
        Assert.All(starts, start => Assert.False(start.IsCompleted));
        release.TrySetResult();
        bool[] results = await Task.WhenAll(starts);

        Assert.Equal(1, results.Count(started => started));
        Assert.Equal(Callers - 1, results.Count(started => !started));
        Assert.Equal(1, engine.Runtime.Creates);
        Assert.Equal(ContainerStatus.Running, engine.Records.Get(record.Id).Status);
        Assert.Equal(0, engine.Slots.Locked);
    }

    [Fact]
    public async Task A_stopped_container_records_its_exit_and_the_wait_returns_its_code()
    {
        await using var engine = await EngineHarness.StartAsync();
        var record = await engine.CreateAsync("worker");
        Assert.True(await engine.Lifecycle.StartAsync("worker"));

        var wait = engine.Lifecycle.WaitAsync("worker", "next-exit");
        await engine.Lifecycle.StopAsync("worker", TimeSpan.FromSeconds(1));

        Assert.Equal(143, await wait.WaitAsync(BarrierTimeout));
        var stopped = engine.Records.Get(record.Id);
        Assert.Equal(ContainerStatus.Exited, stopped.Status);
        Assert.True(stopped.ManuallyStopped);

        await engine.Lifecycle.RemoveAsync("worker", force: false, removeVolumes: true);
        Assert.Null(engine.Records.TryGet(record.Id));
        Assert.False(engine.Runtime.Exists(record.Id.Value));
    }
}
