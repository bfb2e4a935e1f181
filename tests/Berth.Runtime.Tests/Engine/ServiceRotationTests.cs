using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Runtime.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.Tests.Engine;

/// <summary>
/// A service task's rotation follows its health as Docker's service binding does: out from the start with a
/// healthcheck, in at the first healthy probe, out when unhealthy, in again when healthy; starting changes nothing;
/// plain containers are never touched.
/// </summary>
public sealed class ServiceRotationTests
{
    private static readonly Healthcheck Check = new(["test", "-f", "/tmp/ok"], TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300), TimeSpan.Zero, Retries: 2);
    private static readonly ContainerId TaskId = ContainerId.New();

    private readonly List<(string Container, bool InRotation)> _calls = [];

    [Fact]
    public void OnlyAContainerWithoutAHealthcheckStartsInRotation()
    {
        Assert.True(ServiceRotation.StartsInRotation(null));
        Assert.False(ServiceRotation.StartsInRotation(Check));

        // What the network layer is asked at the start: a task's endpoint out of rotation, a plain one never.
        var task = TaskContainer();
        Assert.True(NetworkAttachments.EndpointRequestFor(task, task.Spec.Endpoints[0], inRotation: false).OutOfRotation);
        Assert.False(NetworkAttachments.EndpointRequestFor(task, task.Spec.Endpoints[0]).OutOfRotation);
        var plain = PlainContainer();
        Assert.False(NetworkAttachments.EndpointRequestFor(plain, plain.Spec.Endpoints[0], inRotation: false).OutOfRotation);
    }

    [Fact]
    public void HealthyIsInUnhealthyIsOutStartingChangesNothing()
    {
        Assert.True(ServiceRotation.InRotation(HealthStatus.Healthy));
        Assert.False(ServiceRotation.InRotation(HealthStatus.Unhealthy));
        Assert.Null(ServiceRotation.InRotation(HealthStatus.Starting));
    }

    [Fact]
    public void OnlyAContainerWithAnEndpointNamingAServiceIsATask()
    {
        var rotation = new ServiceRotation(Record, NullLogger.Instance);
        Assert.True(ServiceRotation.IsServiceTask(TaskContainer()));
        Assert.NotNull(rotation.FollowerOf(TaskContainer()));
        Assert.False(ServiceRotation.IsServiceTask(PlainContainer()));
        Assert.Null(rotation.FollowerOf(PlainContainer()));
    }

    [Fact]
    public async Task TheProbesMoveATaskOutAndBackInTheirOrder()
    {
        var task = TaskContainer();
        var rotation = new ServiceRotation(Record, NullLogger.Instance);
        var outcomes = new Queue<int>([1, 0, 1, 1, 0, 1]);
        var monitor = new HealthMonitor(Check, DateTimeOffset.UnixEpoch, _ => Task.FromResult((outcomes.Dequeue(), "")), TimeProvider.System, _ => { },
            rotation.FollowerOf(task));
        var seen = new List<HealthStatus>();
        while (outcomes.Count > 0)
        {
            seen.Add((await monitor.ProbeOnceAsync(CancellationToken.None)).Status);
        }

        // starting (1 failure: no call), healthy (in), healthy with one failure (in again), unhealthy (out), healthy (in), one failure (in).
        Assert.Equal([HealthStatus.Starting, HealthStatus.Healthy, HealthStatus.Healthy, HealthStatus.Unhealthy, HealthStatus.Healthy, HealthStatus.Healthy], seen);
        Assert.Equal([true, true, false, true, true], _calls.Select(c => c.InRotation));
        Assert.All(_calls, c => Assert.Equal(task.Id.Value, c.Container));
    }

    [Fact]
    public async Task ARefusedChangeIsLoggedAndMadeAtTheNextProbe()
    {
        int attempts = 0;
        var rotation = new ServiceRotation((container, inRotation, _) =>
        {
            attempts++;
            return attempts == 1 ? throw new BerthException(ErrorKind.Unavailable, "the cluster store is unavailable") : Record(container, inRotation, default);
        }, NullLogger.Instance);
        var unhealthy = new HealthState(HealthStatus.Unhealthy, 3, []);

        await rotation.ApplyAsync(TaskContainer().Id, unhealthy);
        Assert.Empty(_calls);
        await rotation.ApplyAsync(TaskContainer().Id, unhealthy);
        Assert.Equal([false], _calls.Select(c => c.InRotation));
    }

    private Task Record(string container, bool inRotation, CancellationToken cancellationToken)
    {
        _calls.Add((container, inRotation));
        return Task.CompletedTask;
    }

    private static ContainerRecord TaskContainer() => Container(TaskId, new EndpointSpec("web-net") { ServiceId = "svc1" });

    private static ContainerRecord PlainContainer() => Container(ContainerId.New(), new EndpointSpec("web-net"));

    private static ContainerRecord Container(ContainerId id, EndpointSpec endpoint) => new()
    {
        Id = id,
        Name = "web.1.x",
        Created = DateTimeOffset.UnixEpoch,
        ImageId = "sha256:" + new string('0', 64),
        Spec = new ContainerCreateSpec { Image = "bb:latest", NetworkMode = NetworkMode.Network("web-net"), Endpoints = [endpoint] },
        ExplicitEndpoints = true,
    };
}
