using Berth.Cluster.Identity;

namespace Berth.Cluster.Services;

/// <summary>
/// The swarm's services and tasks as the <c>/services</c> and <c>/tasks</c> routes ask them, on a manager (elsewhere
/// Docker's 503). Errors are Docker's: an unknown service or task NotFound ("service X not found"), a name in use
/// Conflict, a bad spec InvalidArgument naming what is wrong (nothing is written then), a stale version
/// InvalidArgument "update out of sequence".
/// </summary>
public interface IServices
{
    /// <summary>Checks and stores a new service (names of its networks resolved to ids); the leader's orchestrator makes its tasks.</summary>
    /// <remarks><paramref name="registryAuth"/>: the client's registry credentials, sealed into the spec (never shown).</remarks>
    Task<ServiceCreated> CreateAsync(ServiceSpec spec, RegistryAuthUpdate? registryAuth = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ServiceView>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>By full id, exact name, or unique id prefix.</summary>
    Task<ServiceView> GetAsync(string idOrName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the spec if <paramref name="version"/> is the record's version; <paramref name="rollback"/> (Docker's
    /// <c>rollback=previous</c>) puts the previous spec back instead of <paramref name="spec"/>.
    /// </summary>
    Task<IReadOnlyList<string>> UpdateAsync(string idOrName, long version, ServiceSpec? spec, bool rollback, RegistryAuthUpdate? registryAuth = null,
        CancellationToken cancellationToken = default);

    /// <summary>Removes the service; its tasks are shut down and removed by the orchestrator.</summary>
    Task RemoveAsync(string idOrName, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TaskView>> ListTasksAsync(TaskFilter filter, CancellationToken cancellationToken = default);

    /// <summary>By full id or unique id prefix.</summary>
    Task<TaskView> GetTaskAsync(string id, CancellationToken cancellationToken = default);
}

public sealed record ServiceCreated(ServiceId Id, IReadOnlyList<string> Warnings);

/// <summary>A service with its record's version and its task counts (Docker's <c>ServiceStatus</c>).</summary>
public sealed record ServiceView(ServiceRecord Record, long Version, int RunningTasks, int DesiredTasks, int CompletedTasks);

/// <summary>A task as the leader decided it, its version, and the state its node reported (null before any report).</summary>
public sealed record TaskView(TaskRecord Record, long Version, TaskRunStatus? Status, string ServiceName)
{
    /// <summary>
    /// The state to show: the node's report once there is one, else the leader's; orphaned (the leader's word on a task
    /// whose node went down) wins over the last report of a node that can no longer send one.
    /// </summary>
    public TaskState State => Record.State == TaskState.Orphaned ? TaskState.Orphaned : Status?.State ?? Record.State;
}

/// <summary><c>/tasks</c> filters, each a set of accepted values (empty: any); Docker's names in brackets.</summary>
public sealed record TaskFilter
{
    /// <summary>[service] ids or names.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>[node] ids or names.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>[id] id prefixes.</summary>
    public IReadOnlyList<string> Ids { get; init; } = [];

    /// <summary>[name] task names (<c>web.1</c>) or prefixes.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>[desired-state] running, shutdown, accepted.</summary>
    public IReadOnlyList<string> DesiredStates { get; init; } = [];

    /// <summary>[label] <c>key</c> or <c>key=value</c> on the service's labels.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>[_up-to-date] true: only tasks made from their service's current spec.</summary>
    public bool UpToDateOnly { get; init; }
}
