using Berth.Cluster.Swarm;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// What this node knows of its swarm, for the cluster checks: on a manager every node (the cluster store's records and
/// heartbeats), on a worker only the managers it was given (their etcd endpoints); null outside a swarm.
/// </summary>
public sealed record ClusterPeers(SwarmLocalStatus Local, IReadOnlyList<ClusterNode> Nodes)
{
    public bool IsManager => Local.IsManager;

    /// <summary>The other nodes, by address.</summary>
    public IEnumerable<ClusterNode> Others => Nodes.Where(n => !n.Self);

    public IEnumerable<ClusterNode> Managers => Nodes.Where(n => n.Manager);

    public static async Task<ClusterPeers?> LoadAsync(DiagnosticSources sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Swarm is not { } swarm || swarm.Local.State == SwarmLocalState.Inactive)
        {
            return null;
        }

        var local = swarm.Local;
        if (local.IsManager)
        {
            var nodes = await swarm.ListNodesAsync(cancellationToken).ConfigureAwait(false);
            return new ClusterPeers(local, [.. nodes
                .Select(n => new ClusterNode(n.Record.Id.Value, n.Record.Name is { Length: > 0 } name ? name : n.Record.Host.Hostname, n.Record.Address,
                    n.Manager is not null, n.Record.Id == local.Node, n.Liveness == NodeLiveness.Down, n.Record.EtcdClientUrl))
                .OrderBy(n => n.Address, StringComparer.Ordinal)]);
        }

        // A worker (or a node still connecting) knows its managers by the endpoints of their etcd members.
        var summary = await swarm.SummaryAsync(cancellationToken).ConfigureAwait(false);
        return new ClusterPeers(local, [.. summary.RemoteManagers
            .Select(m => HostOf(m.Address))
            .Distinct(StringComparer.Ordinal)
            .Where(address => address != local.NodeAddress)
            .Select(address => new ClusterNode("", "", address, Manager: true, Self: false, Down: false, EtcdClusterBackend.ClientUrl(address)))
            .OrderBy(n => n.Address, StringComparer.Ordinal)]);
    }

    /// <summary><c>10.88.0.11:2377</c> → <c>10.88.0.11</c> (and <c>[fd00::1]:2377</c> → <c>fd00::1</c>).</summary>
    private static string HostOf(string endpoint)
    {
        int colon = endpoint.LastIndexOf(':');
        string host = colon > 0 && !endpoint.EndsWith(']') ? endpoint[..colon] : endpoint;
        return host.Trim('[', ']');
    }
}
