using System.Collections.Immutable;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Services;

/// <summary>
/// <c>swarm/tasks/&lt;id&gt;</c>: one task as the leader's orchestrator decided it — which service and slot, which
/// node, which spec, and the state it should reach (<see cref="DesiredState"/>: running, then shutdown or remove).
/// The leader writes it; the node running it reports in <see cref="TaskRunStatus"/> beside it
/// (<c>swarm/task-status/&lt;node&gt;/&lt;id&gt;</c>), so the two never contend for one key.
/// </summary>
public sealed record TaskRecord
{
    public required TaskId Id { get; init; }

    public required ServiceId ServiceId { get; init; }

    /// <summary>The replica's slot, from 1 (replicated); 0 for a global task (one per <see cref="Node"/>).</summary>
    public int Slot { get; init; }

    /// <summary>Null while no node fits (the task is pending, with <see cref="Message"/> saying why).</summary>
    public NodeId? Node { get; init; }

    public required TaskState DesiredState { get; init; }

    /// <summary>The service's <see cref="ServiceRecord.SpecVersion"/> this task was made from.</summary>
    public required long SpecVersion { get; init; }

    public required TaskSpec Spec { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The state as the leader knows it before a node reports (new, pending, assigned; rejected or orphaned later).</summary>
    public TaskState State { get; init; } = TaskState.New;

    /// <summary>Why the task is where it is (<c>no suitable node (…)</c>, <c>task: non-zero exit (1)</c>).</summary>
    public string Message { get; init; } = "";

    /// <summary>How many times this slot's task was restarted after exiting (the restart policy's count).</summary>
    public int RestartCount { get; init; }
}

/// <summary>
/// <c>swarm/task-status/&lt;node&gt;/&lt;task&gt;</c>: a task's state as the node running it reports it; the container's
/// id, pid and exit code, and its address on each network (Docker's <c>NetworksAttachments</c>).
/// </summary>
public sealed record TaskRunStatus
{
    public required TaskId Task { get; init; }

    public required NodeId Node { get; init; }

    public required TaskState State { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public string Message { get; init; } = "";

    /// <summary>What went wrong, for a failed or rejected task.</summary>
    public string Error { get; init; } = "";

    public string? ContainerId { get; init; }

    public int Pid { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>Network id → address as CIDR.</summary>
    public ImmutableSortedDictionary<string, string> Addresses { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Host-mode ports bound on the node.</summary>
    public ImmutableArray<ServicePort> Ports { get; init; } = [];
}
