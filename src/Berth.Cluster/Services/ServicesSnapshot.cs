using System.Text;
using Berth.Cluster.Identity;
using Berth.Cluster.Swarm;
using Berth.Store;

namespace Berth.Cluster.Services;

/// <summary>A service record with its version (its store mod revision).</summary>
internal sealed record ServiceEntry(ServiceRecord Record, long Version);

/// <summary>A task record with its version and its node's report (null before any).</summary>
internal sealed record TaskEntry(TaskRecord Record, long Version, TaskRunStatus? Status)
{
    public TaskState State => Record.State == TaskState.Orphaned ? TaskState.Orphaned : Status?.State ?? Record.State;

    /// <summary>When the state last changed, as far as the store tells.</summary>
    public DateTimeOffset StateSince => Status?.Timestamp ?? Record.UpdatedAt;
}

/// <summary>A node with whether its heartbeat is present.</summary>
internal sealed record NodeEntry(NodeRecord Record, bool Alive);

/// <summary>
/// Everything the managers and the orchestrator decide from, read from the store in one go: services, tasks joined
/// with their reports, nodes with their heartbeats, the leader, the cluster's task history limit.
/// </summary>
internal sealed record ServicesSnapshot(
    IReadOnlyList<ServiceEntry> Services,
    IReadOnlyList<TaskEntry> Tasks,
    IReadOnlyList<NodeEntry> Nodes,
    long TaskHistoryLimit,
    long Revision)
{
    /// <summary>The services alone (create, update and remove need no tasks).</summary>
    public static async Task<List<ServiceEntry>> ServicesAsync(IStateStore store, CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(ClusterKeys.Services, cancellationToken).ConfigureAwait(false))
            .Select(entry => new ServiceEntry(ServiceRecords.Service(entry.Value), entry.ModRevision))];

    /// <summary>
    /// The service a full id or an exact name names, read through its keys alone; null when neither does (a prefix, or
    /// no such service). With thousands of services a create or a remove stays a read or two instead of a listing.
    /// </summary>
    public static async Task<ServiceEntry?> ExactAsync(IStateStore store, string idOrName, CancellationToken cancellationToken)
    {
        if (ServiceId.TryParse(idOrName, out ServiceId id) && await store.GetAsync(ClusterKeys.Service(id), cancellationToken).ConfigureAwait(false) is { } byId)
        {
            return new ServiceEntry(ServiceRecords.Service(byId.Value), byId.ModRevision);
        }

        // The name key is written and deleted with the record, in one transaction; a removal between the two reads is a miss.
        return await store.GetAsync(ClusterKeys.ServiceName(idOrName), cancellationToken).ConfigureAwait(false) is { } name
            && ServiceId.TryParse(Encoding.UTF8.GetString(name.Value.Span), out ServiceId owner)
            && await store.GetAsync(ClusterKeys.Service(owner), cancellationToken).ConfigureAwait(false) is { } byName
            ? new ServiceEntry(ServiceRecords.Service(byName.Value), byName.ModRevision)
            : null;
    }

    public static async Task<ServicesSnapshot> ReadAsync(IStateStore store, CancellationToken cancellationToken)
    {
        long revision = await store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
        var services = await ServicesAsync(store, cancellationToken).ConfigureAwait(false);
        var statuses = new Dictionary<(string Node, string Task), TaskRunStatus>();
        foreach (var entry in await store.ListAsync(ClusterKeys.TaskStatuses, cancellationToken).ConfigureAwait(false))
        {
            string[] parts = entry.Key[ClusterKeys.TaskStatuses.Length..].Split('/');
            if (parts.Length == 2 && ServiceRecords.Status(entry.Value) is { } status)
            {
                statuses[(parts[0], parts[1])] = status;
            }
        }

        var tasks = (await store.ListAsync(ClusterKeys.Tasks, cancellationToken).ConfigureAwait(false))
            .Select(entry =>
            {
                TaskRecord task = ServiceRecords.Task(entry.Value);
                TaskRunStatus? status = task.Node is { } node && statuses.TryGetValue((node.Value, task.Id.Value), out var reported) ? reported : null;
                return new TaskEntry(task, entry.ModRevision, status);
            })
            .ToList();
        var alive = (await store.ListAsync(ClusterKeys.Heartbeats, cancellationToken).ConfigureAwait(false))
            .Select(entry => entry.Key[ClusterKeys.Heartbeats.Length..])
            .ToHashSet(StringComparer.Ordinal);
        var nodes = (await store.ListAsync(ClusterKeys.Nodes, cancellationToken).ConfigureAwait(false))
            .Select(entry => SwarmRecords.Node(entry.Value))
            .Select(node => new NodeEntry(node, alive.Contains(node.Id.Value)))
            .ToList();
        var cluster = await store.GetAsync(ClusterKeys.Cluster, cancellationToken).ConfigureAwait(false);
        long limit = cluster is null ? ClusterSpecRecord.DefaultTaskHistoryRetentionLimit : SwarmRecords.Cluster(cluster.Value).Spec.TaskHistoryRetentionLimit;
        return new ServicesSnapshot(services, tasks, nodes, limit, revision);
    }

    /// <summary>The leader's node id and the mod revision of its claim, or null when there is no leader.</summary>
    public static async Task<(NodeId Node, long Revision)?> LeaderAsync(IStateStore store, CancellationToken cancellationToken)
    {
        var entry = await store.GetAsync(ClusterKeys.Leader, cancellationToken).ConfigureAwait(false);
        return entry is not null && NodeId.TryParse(Encoding.UTF8.GetString(entry.Value.Span), out NodeId node) ? (node, entry.ModRevision) : null;
    }
}
