using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Cluster.Services;

namespace Berth.Api.Services;

/// <summary>A task (the leader's record and its node's report) → Docker's <c>Task</c>.</summary>
internal static partial class ServiceContractMapper
{
    /// <summary>swarmkit's message for a task waiting for a node (<c>allocator</c>).</summary>
    private const string PendingScheduling = "pending task scheduling";

    /// <summary>
    /// State, message and timestamp come from one source, the one <see cref="TaskView.State"/> shows: the node's
    /// report once there is one, else the leader's record (new, pending, assigned; rejected, or orphaned when its node
    /// went down). The container's status and addresses are the node's whenever it reported.
    /// </summary>
    public static SwarmTask ToTask(TaskView view)
    {
        TaskRecord record = view.Record;
        TaskRunStatus? run = view.Status;
        TaskRunStatus? shown = run is not null && run.State == view.State ? run : null;

        // swarmkit keeps a task no node fits pending with "pending task scheduling" as its message and the
        // scheduler's explanation as its error (what `service ps` shows under ERROR).
        bool unplaced = shown is null && view.State == TaskState.Pending && record.Node is null && record.Message.Length > 0;
        return new SwarmTask
        {
            ID = record.Id.Value,
            Version = new ObjectVersion { Index = (ulong)view.Version },
            CreatedAt = Rfc3339.FormatNano(record.CreatedAt),
            UpdatedAt = Rfc3339.FormatNano(record.UpdatedAt),
            Labels = [],
            Spec = WriteTask(record.Spec, insertDefaults: false, runtime: null),
            ServiceID = record.ServiceId.Value,
            Slot = record.Slot,
            NodeID = record.Node?.Value,
            Status = new SwarmTaskStatus
            {
                Timestamp = Rfc3339.FormatNano(shown?.Timestamp ?? record.UpdatedAt),
                State = view.State.Name(),
                Message = unplaced ? PendingScheduling : NullIfEmpty(shown is null ? record.Message : shown.Message),
                Err = unplaced ? record.Message : NullIfEmpty(shown?.Error),
                ContainerStatus = run?.ContainerId is { } container
                    ? new TaskContainerStatus { ContainerID = container, PID = run.Pid, ExitCode = run.ExitCode ?? 0 }
                    : null,
                PortStatus = new PortStatus { Ports = run is null ? null : WritePorts(run.Ports) },
            },
            DesiredState = record.DesiredState.Name(),
            NetworksAttachments = run is { Addresses.Count: > 0 }
                ? [.. run.Addresses.Select(address => new NetworkAttachmentContract { Network = new AttachedNetwork { ID = address.Key }, Addresses = [address.Value] })]
                : null,
        };
    }
}
