using Berth.Core.Errors;

namespace Berth.Cluster.Services;

/// <summary><c>/tasks</c>: records joined with their nodes' reports, filtered as Docker filters them.</summary>
public sealed partial class ServiceManager
{
    public async Task<IReadOnlyList<TaskView>> ListTasksAsync(TaskFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var snapshot = await ServicesSnapshot.ReadAsync(_store, cancellationToken).ConfigureAwait(false);
        var services = snapshot.Services.ToDictionary(s => s.Record.Id);
        var wantedServices = filter.Services.Count == 0 ? null
            : snapshot.Services.Where(s => filter.Services.Any(f => s.Record.Id.Value.StartsWith(f, StringComparison.Ordinal) || s.Record.Spec.Name == f))
                .Select(s => s.Record.Id).ToHashSet();
        var wantedNodes = filter.Nodes.Count == 0 ? null
            : snapshot.Nodes.Where(n => filter.Nodes.Any(f => n.Record.Id.Value.StartsWith(f, StringComparison.Ordinal) || n.Record.Host.Hostname == f || n.Record.Name == f))
                .Select(n => n.Record.Id).ToHashSet();
        var views = new List<TaskView>();
        foreach (TaskEntry task in snapshot.Tasks)
        {
            ServiceEntry? service = services.GetValueOrDefault(task.Record.ServiceId);
            string name = service is null ? "" : TaskName(service.Record, task.Record);
            bool keep = (wantedServices is null || wantedServices.Contains(task.Record.ServiceId))
                && (wantedNodes is null || (task.Record.Node is { } node && wantedNodes.Contains(node)))
                && (filter.Ids.Count == 0 || filter.Ids.Any(f => task.Record.Id.Value.StartsWith(f, StringComparison.Ordinal)))
                && (filter.Names.Count == 0 || filter.Names.Any(f => name.StartsWith(f, StringComparison.Ordinal)))
                && (filter.DesiredStates.Count == 0 || filter.DesiredStates.Any(f => f.Equals(task.Record.DesiredState.Name(), StringComparison.OrdinalIgnoreCase)))
                && (filter.Labels.Count == 0 || (service is not null && filter.Labels.All(f => HasLabel(service.Record.Spec, f))))
                && (!filter.UpToDateOnly || (service is not null && task.Record.SpecVersion == service.Record.SpecVersion));
            if (keep)
            {
                views.Add(new TaskView(task.Record, task.Version, task.Status, service?.Record.Spec.Name ?? ""));
            }
        }

        return [.. views.OrderBy(v => v.ServiceName, StringComparer.Ordinal).ThenBy(v => v.Record.Slot).ThenByDescending(v => v.Record.CreatedAt)];
    }

    public async Task<TaskView> GetTaskAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var snapshot = await ServicesSnapshot.ReadAsync(_store, cancellationToken).ConfigureAwait(false);
        var matches = snapshot.Tasks.Where(t => t.Record.Id.Value == id).ToList();
        if (matches.Count == 0 && id.Length > 0)
        {
            matches = [.. snapshot.Tasks.Where(t => t.Record.Id.Value.StartsWith(id, StringComparison.Ordinal))];
        }

        TaskEntry task = matches.Count switch
        {
            1 => matches[0],
            0 => throw new BerthException(ErrorKind.NotFound, $"task {id} not found"),
            _ => throw new BerthException(ErrorKind.InvalidArgument, $"task {id} is ambiguous ({matches.Count} matches found)"),
        };
        string service = snapshot.Services.FirstOrDefault(s => s.Record.Id == task.Record.ServiceId)?.Record.Spec.Name ?? "";
        return new TaskView(task.Record, task.Version, task.Status, service);
    }

    /// <summary>Docker's task name: <c>web.1</c>, or <c>web.&lt;node id&gt;</c> for a global service's task.</summary>
    public static string TaskName(ServiceRecord service, TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(task);
        return task.Slot > 0 ? $"{service.Spec.Name}.{task.Slot}" : $"{service.Spec.Name}.{task.Node?.Value}";
    }

    private static bool HasLabel(ServiceSpec spec, string filter)
    {
        int equals = filter.IndexOf('=', StringComparison.Ordinal);
        return equals < 0
            ? spec.Labels.ContainsKey(filter)
            : spec.Labels.TryGetValue(filter[..equals], out string? value) && value == filter[(equals + 1)..];
    }
}
