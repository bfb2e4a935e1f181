using System.Collections.Immutable;
using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Core.Ports;
using Berth.Network.Endpoints;
using Berth.Runtime.Engine;

namespace Berth.Cluster.Tests.Services;

/// <summary>
/// The container engine as a <see cref="Berth.Cluster.Services.TaskAgent"/> sees it, in memory: create, start, stop and
/// remove as state changes with the engine's events (<c>start</c>, <c>die</c>, <c>destroy</c>), and health the test sets
/// (<see cref="SetHealth"/>, with moby's <c>health_status: …</c> event). A container made with a healthcheck starts
/// <c>starting</c>; a stop ends it with exit code 137, as a SIGKILL after the grace period would. The rest of the engine
/// is not used by the agent.
/// </summary>
internal sealed class FakeTaskEngine : IContainerEngine, IContainerQueries, IContainerLifecycle
{
    public const int StoppedExitCode = 137;

    private readonly Lock _lock = new();
    private readonly Dictionary<ContainerId, ContainerRecord> _containers = [];
    private readonly Dictionary<ContainerId, HealthState> _health = [];

    public IContainerQueries Queries => this;

    public IContainerLifecycle Lifecycle => this;

    public IContainerStreams Streams => throw new NotSupportedException();

    public IExecSessions Execs => throw new NotSupportedException();

    public IContainerNetworking Networking => throw new NotSupportedException();

    public IContainerVolumes Volumes => throw new NotSupportedException();

    public IContainerFiles Files => throw new NotSupportedException();

    public IContainerCgroups Cgroups => throw new NotSupportedException();

    public EventHub Events { get; } = new();

    /// <summary>Each stop the agent asked for: the container and its grace period.</summary>
    public List<(ContainerId Container, TimeSpan Grace)> Stops { get; } = [];

    public void SetHealth(ContainerId id, HealthStatus status)
    {
        ContainerRecord record;
        lock (_lock)
        {
            _health[id] = new HealthState(status, status == HealthStatus.Unhealthy ? 3 : 0, []);
            record = _containers[id];
        }

        Publish(record, "health_status: " + status.ToString().ToLowerInvariant());
    }

    public IReadOnlyList<ContainerRecord> List()
    {
        lock (_lock)
        {
            return [.. _containers.Values.OrderByDescending(c => c.Created)];
        }
    }

    public ContainerRecord Get(string idOrName) =>
        List().FirstOrDefault(c => c.Id.Value == idOrName || c.Name == idOrName) ?? throw new BerthException(ErrorKind.NotFound, $"No such container: {idOrName}");

    public ContainerRecord? TryGet(ContainerId id)
    {
        lock (_lock)
        {
            return _containers.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<EndpointState> EndpointsOf(ContainerId id) => [];

    public IReadOnlyList<(ContainerRecord Container, EndpointState Endpoint)> EndpointsOn(NetworkId network) => [];

    public ImmutableArray<ContainerPort> ExposedPortsOf(ContainerRecord record) => [];

    public HealthState? HealthOf(ContainerId id)
    {
        lock (_lock)
        {
            return _health.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<string>? LegacyLinksOf(ContainerRecord record) => null;

    /// <summary>Images a create refuses as the engine does when they are not here (<c>No such image: …</c>).</summary>
    public HashSet<string> MissingImages { get; } = new(StringComparer.Ordinal);

    public Task<ContainerRecord> CreateAsync(ContainerCreateSpec spec, string? name, CancellationToken cancellationToken = default)
    {
        if (MissingImages.Contains(spec.Image ?? ""))
        {
            throw new BerthException(ErrorKind.NotFound, $"No such image: {spec.Image}");
        }

        var record = new ContainerRecord
        {
            Id = ContainerId.New(),
            Name = name ?? "task",
            Created = DateTimeOffset.UtcNow,
            Spec = spec,
            ImageId = "sha256:" + new string('0', 64),
            ExplicitEndpoints = true,
        };
        lock (_lock)
        {
            _containers[record.Id] = record;
        }

        Publish(record, "create");
        return Task.FromResult(record);
    }

    public Task<bool> StartAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var record = Change(idOrName, r => r with { Status = ContainerStatus.Running, Pid = 4242, StartedAt = DateTimeOffset.UtcNow, ExitCode = 0 });
        lock (_lock)
        {
            if (record.Spec.Healthcheck is not null)
            {
                _health[record.Id] = HealthState.Starting;
            }
        }

        Publish(record, "start");
        return Task.FromResult(true);
    }

    public Task StopAsync(string idOrName, TimeSpan? timeout, string? signal = null, CancellationToken cancellationToken = default)
    {
        var record = Get(idOrName);
        lock (_lock)
        {
            Stops.Add((record.Id, timeout ?? TimeSpan.FromSeconds(10)));
        }

        if (record.Status == ContainerStatus.Running)
        {
            Publish(Change(idOrName, r => r with { Status = ContainerStatus.Exited, Pid = 0, ExitCode = StoppedExitCode, FinishedAt = DateTimeOffset.UtcNow }), "die");
        }

        return Task.CompletedTask;
    }

    public Task KillAsync(string idOrName, string signal, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task RestartAsync(string idOrName, TimeSpan? timeout, string? signal = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<int> WaitAsync(string idOrName, string condition, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task RemoveAsync(string idOrName, bool force, bool removeVolumes, CancellationToken cancellationToken = default)
    {
        var record = Get(idOrName);
        lock (_lock)
        {
            _containers.Remove(record.Id);
            _health.Remove(record.Id);
        }

        Publish(record, "destroy");
        return Task.CompletedTask;
    }

    public Task RenameAsync(string idOrName, string newName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task RemoveLinkAsync(string linkName, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ContainerPruneResult> PruneAsync(Func<ContainerRecord, bool> matches, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    private ContainerRecord Change(string idOrName, Func<ContainerRecord, ContainerRecord> change)
    {
        lock (_lock)
        {
            var record = change(Get(idOrName));
            _containers[record.Id] = record;
            return record;
        }
    }

    private void Publish(ContainerRecord record, string action) => Events.Publish("container", action, record.Id.Value, record.Spec.Labels);
}
