using System.Collections.Immutable;
using System.Globalization;
using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;

namespace Berth.Diagnostics.Topology;

public sealed partial class TopologyBuilder
{
    /// <summary>What the swarm adds: the networks with their tasks per node, the nodes, the services' published ports.</summary>
    private sealed record SwarmPart(ImmutableArray<TopologyNetwork> Networks, ImmutableArray<TopologyNode> Nodes, ImmutableArray<TopologyPort> Ports);

    /// <summary>
    /// On a manager: the nodes, and each service task that should run, placed on the networks it has an address on.
    /// A worker or a node outside a swarm adds nothing (a worker says why in a note: only managers know the tasks).
    /// </summary>
    private async Task<SwarmPart> SwarmAsync(List<TopologyNetwork> networks, List<string> notes, CancellationToken cancellationToken)
    {
        var none = new SwarmPart([.. networks], [], []);
        if (sources.Swarm is not { } swarm || swarm.Local.State == SwarmLocalState.Inactive)
        {
            return none;
        }

        var local = swarm.Local;
        if (!local.IsManager)
        {
            notes.Add(local.Role == ClusterRole.Worker
                ? "swarm: this node is a worker; the nodes and the service tasks are known to managers: run berth topology on a manager for them"
                : $"swarm: this node is not connected to its swarm ({local.State.ToString().ToLowerInvariant()}); nodes and tasks are left out");
            // What a worker knows of itself: which of an overlay's peers is this host.
            return local.Node is { } self
                ? none with { Nodes = [new TopologyNode(Environment.MachineName, self.Value, local.Role?.ToString().ToLowerInvariant() ?? "", local.State.ToString().ToLowerInvariant(), "", local.NodeAddress) { Self = true }] }
                : none;
        }

        var nodes = await LoadAsync<IReadOnlyList<NodeView>>("the swarm nodes", notes, () => swarm.ListNodesAsync(cancellationToken), []).ConfigureAwait(false);
        var topologyNodes = nodes.Select(n => new TopologyNode(NameOf(n.Record), n.Record.Id.Value,
                n.Manager is { Leader: true } ? "leader" : n.Record.Role.ToString().ToLowerInvariant(),
                n.Liveness.ToString().ToLowerInvariant(), n.Record.Availability.ToString().ToLowerInvariant(), n.Record.Address) { Self = n.Record.Id == local.Node })
            .OrderBy(n => n.Name, StringComparer.Ordinal).ThenBy(n => n.Address, StringComparer.Ordinal).ToImmutableArray();
        if (sources.Services is not { } services)
        {
            return none with { Nodes = topologyNodes };
        }

        var nodeNames = nodes.ToDictionary(n => n.Record.Id, n => NameOf(n.Record));
        var nodeAddresses = nodes.ToDictionary(n => n.Record.Id, n => n.Record.Address);
        var tasks = await LoadAsync<IReadOnlyList<TaskView>>("the swarm tasks", notes,
            () => services.ListTasksAsync(new TaskFilter { DesiredStates = [TaskState.Running.Name()] }, cancellationToken), []).ConfigureAwait(false);
        var serviceList = await LoadAsync<IReadOnlyList<ServiceView>>("the swarm services", notes, () => services.ListAsync(cancellationToken), []).ConfigureAwait(false);
        var hostPorts = serviceList.ToDictionary(s => s.Record.Id, s => s.Record.Ports.Where(p => p.Mode == PublishMode.Host && p.PublishedPort > 0).ToList());

        var byNetwork = new Dictionary<string, List<TopologyTask>>(StringComparer.Ordinal);
        var ports = new List<TopologyPort>();
        foreach (var task in tasks)
        {
            string node = task.Record.Node is { } id ? nodeNames.GetValueOrDefault(id, id.Value) : "(unassigned)";
            var addresses = task.Status?.Addresses ?? ImmutableSortedDictionary<string, string>.Empty;
            foreach (string network in task.Record.Spec.Networks.Select(n => n.Target).Concat(addresses.Keys).Distinct(StringComparer.Ordinal))
            {
                if (!byNetwork.TryGetValue(network, out var list))
                {
                    byNetwork[network] = list = [];
                }

                list.Add(new TopologyTask(task.ServiceName, task.Record.Slot, node, addresses.GetValueOrDefault(network), task.State.Name()) { NodeId = task.Record.Node?.Value });
            }

            // A host-mode port answers on the address of each node running a task: as the task reported it, else the
            // service's (a fixed published port is the same on every node).
            var published = task.Status?.Ports.Where(p => p.Mode == PublishMode.Host).ToList() is { Count: > 0 } reported ? reported : hostPorts.GetValueOrDefault(task.Record.ServiceId, []);
            if (task.State == TaskState.Running && task.Record.Node is { } on)
            {
                ports.AddRange(published.Select(p => new TopologyPort(task.ServiceName, nodeAddresses.GetValueOrDefault(on, node), p.PublishedPort, Protocol(p), Target(p), "host mode")));
            }
        }

        foreach (var service in serviceList)
        {
            ports.AddRange(service.Record.Ports.Where(p => p.Mode == PublishMode.Ingress).Select(p =>
                new TopologyPort(service.Record.Spec.Name, "0.0.0.0", p.PublishedPort, Protocol(p), Target(p), "ingress")));
        }

        var withTasks = networks.Select(n => byNetwork.TryGetValue(n.Id, out var list) || byNetwork.TryGetValue(n.Name, out list)
            ? n with { Tasks = [.. list.OrderBy(t => t.Node, StringComparer.Ordinal).ThenBy(t => t.Service, StringComparer.Ordinal).ThenBy(t => t.Slot)] }
            : n);
        return new SwarmPart([.. withTasks], topologyNodes, [.. ports]);
    }

    private static string NameOf(NodeRecord node) => node.Name is { Length: > 0 } name ? name : node.Host.Hostname;

    private static string Protocol(ServicePort port) => port.Protocol.ToString().ToLowerInvariant();

    /// <summary>A service's port lands on any of its tasks: <c>*:80</c>.</summary>
    private static string Target(ServicePort port) => "*:" + port.TargetPort.ToString(CultureInfo.InvariantCulture);
}
