using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;
using static Berth.Linux.IntegrationTests.Namespaces.NamespaceManagerTests;

namespace Berth.Linux.IntegrationTests.Namespaces;

public sealed class NamespaceRunnerTests : LabTest
{
    [RootFact]
    public void Run_WorkRunsInTarget_AndWorkerReturnsToHost()
    {
        using NetnsHandle target = Manager.Create("target");
        ulong host = HostInode();

        (ulong inside, int workerThread, int workerTid) = Runner.Run(target, () => (CurrentThreadInode(), Environment.CurrentManagedThreadId, Berth.Linux.Interop.Libc.Gettid()));

        // Observed from outside: the worker thread's own netns link once the job has completed.
        string workerNetnsAfter = new FileInfo($"/proc/self/task/{workerTid}/ns/net").LinkTarget!;

        Assert.Equal(target.Inode, inside);
        Assert.NotEqual(host, inside);
        Assert.NotEqual(Environment.CurrentManagedThreadId, workerThread);
        Assert.Equal(host, CurrentThreadInode());
        Assert.Equal($"net:[{host}]", workerNetnsAfter);
        Manager.Delete("target");
    }

    [RootFact]
    public void Run_ExceptionPropagates_AndRunnerStillServes()
    {
        using NetnsHandle target = Manager.Create("throws");

        var error = Assert.Throws<InvalidOperationException>(() => Runner.Run<int>(target, () => throw new InvalidOperationException("inside failure")));
        ulong afterwards = Runner.Run(target, CurrentThreadInode);

        Assert.Equal("inside failure", error.Message);
        Assert.Equal(target.Inode, afterwards);
        Assert.Equal(1, Runner.WorkersStarted);
        Manager.Delete("throws");
    }

    [RootFact]
    public async Task RunAsync_ContinuationRunsInHostNamespace()
    {
        using NetnsHandle target = Manager.Create("async");
        ulong host = HostInode();

        ulong inside = await Runner.RunAsync(target, CurrentThreadInode);
        ulong continuation = CurrentThreadInode();

        Assert.Equal(target.Inode, inside);
        Assert.Equal(host, continuation);
        Manager.Delete("async");
    }

    [RootFact]
    public async Task RunAsync_ExceptionPropagatesThroughTask()
    {
        using NetnsHandle target = Manager.Create("asyncthrows");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Runner.RunAsync<int>(target, () => throw new ArgumentException("bad inside")));

        Assert.Equal("bad inside", error.Message);
        Assert.Equal(target.Inode, await Runner.RunAsync(target, CurrentThreadInode));
        Manager.Delete("asyncthrows");
    }

    [RootFact]
    public async Task RunAsync_CancelledBeforeStart_DoesNotRun()
    {
        using NetnsHandle target = Manager.Create("cancel");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        bool ran = false;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner.RunAsync(target, () => ran = true, cancellation.Token));

        Assert.False(ran);
        Manager.Delete("cancel");
    }

    [RootFact]
    public void RunInNewNamespace_IsAFreshNamespace_AndWorkerReturns()
    {
        ulong host = HostInode();

        ulong fresh = Runner.RunInNewNamespace(CurrentThreadInode);
        using NetnsHandle home = NetnsHandle.Open("/proc/self/ns/net");
        ulong after = Runner.Run(home, CurrentThreadInode);

        Assert.NotEqual(host, fresh);
        Assert.Equal(host, after);
    }

    [RootFact]
    public void Run_NestedOnSameRunner_FailsInsteadOfDeadlocking()
    {
        using NetnsHandle target = Manager.Create("nested");

        var error = Assert.Throws<InvalidOperationException>(() => Runner.Run(target, () => Runner.Run(target, () => 1)));

        Assert.Contains("same runner", error.Message, StringComparison.Ordinal);
        Manager.Delete("nested");
    }

    [RootFact]
    public void Run_ManyJobsFromManyThreads_AllRunInTheirTargets()
    {
        using NetnsHandle a = Manager.Create("many-a");
        using NetnsHandle b = Manager.Create("many-b");

        var results = Enumerable.Range(0, 200).AsParallel().Select(i =>
        {
            NetnsHandle target = i % 2 == 0 ? a : b;
            return (Expected: target.Inode, Actual: Runner.Run(target, CurrentThreadInode));
        }).ToList();

        Assert.All(results, r => Assert.Equal(r.Expected, r.Actual));
        Manager.Delete("many-a");
        Manager.Delete("many-b");
    }
}
