using Berth.Api.Http;
using Berth.Cluster.Services;
using Berth.Core.Errors;

namespace Berth.Api.Services;

/// <summary>
/// <c>GET /tasks?filters=</c> (moby <c>newListTasksFilters</c>) as a <see cref="TaskFilter"/>: <c>service</c> and
/// <c>node</c> ids or names, <c>id</c> and <c>name</c> prefixes, <c>label</c>, <c>desired-state</c> (a task state, any
/// case), <c>_up-to-date</c> (any value: only tasks of their service's current spec; the CLI's wait loop sends it),
/// <c>runtime</c> (<c>container</c> matches every task).
/// </summary>
internal static class TaskListFilter
{
    private static readonly HashSet<string> AcceptedKeys = ["_up-to-date", "desired-state", "id", "label", "name", "node", "runtime", "service"];

    /// <summary>swarmkit's task states; <c>allocated</c> is one of them though Berth's tasks never show it.</summary>
    private static readonly HashSet<string> States =
        [.. Enum.GetValues<TaskState>().Select(state => state.Name()), "allocated"];

    /// <summary>The filter, or null when it can match no task (a <c>runtime</c> other than <c>container</c>).</summary>
    public static TaskFilter? Create(FilterArgs filters)
    {
        filters.Validate(AcceptedKeys);
        var desired = new List<string>();
        foreach (string term in filters.Get("desired-state"))
        {
            string state = term.ToLowerInvariant();
            if (States.Contains(state))
            {
                desired.Add(state);
            }
            else if (term.Length > 0)
            {
                throw new BerthException(ErrorKind.InvalidArgument, $"Invalid desired-state filter: '{term}'");
            }
        }

        if (!filters.MatchAny("runtime", term => term == ServiceListFilter.ContainerRuntime))
        {
            return null;
        }

        return new TaskFilter
        {
            Services = filters.Get("service"),
            Nodes = filters.Get("node"),
            Ids = filters.Get("id"),
            Names = filters.Get("name"),
            DesiredStates = desired,
            Labels = filters.Get("label"),
            UpToDateOnly = filters.Get("_up-to-date").Length > 0,
        };
    }
}
