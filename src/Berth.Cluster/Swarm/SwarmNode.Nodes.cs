using System.Text;
using Berth.Cluster.Identity;
using Berth.Cluster.Pki;
using Berth.Core.Errors;
using Berth.Store;

namespace Berth.Cluster.Swarm;

/// <summary>The cluster and node records: inspect, list, update (compare-and-swap on the version), remove.</summary>
public sealed partial class SwarmNode
{
    public Task<ClusterView> InspectAsync(CancellationToken cancellationToken = default) => ReadAsManagerAsync(async session =>
    {
        var entry = await session.Store.GetAsync(ClusterKeys.Cluster, cancellationToken).ConfigureAwait(false)
            ?? throw new BerthException(ErrorKind.Unavailable, "the cluster record is missing from the cluster store");
        return new ClusterView(SwarmRecords.Cluster(entry.Value), entry.ModRevision);
    }, cancellationToken);

    public async Task UpdateAsync(long version, SwarmUpdate update, CancellationToken cancellationToken = default)
    {
        var (_, session) = await ManagerAsync(cancellationToken).ConfigureAwait(false);
        ClusterView current = await InspectAsync(cancellationToken).ConfigureAwait(false);
        if (current.Version != version)
        {
            throw SwarmErrors.Sequence();
        }

        CertificateValidity.CheckNodeExpiry(update.Spec.NodeCertExpiry);

        ClusterRecord record = current.Record;
        var tokens = new ClusterJoinTokens(JoinToken.Parse(record.WorkerToken), JoinToken.Parse(record.ManagerToken));
        tokens = update.RotateWorkerToken ? tokens.Rotate(ClusterRole.Worker) : tokens;
        tokens = update.RotateManagerToken ? tokens.Rotate(ClusterRole.Manager) : tokens;
        record = record with
        {
            Spec = update.Spec,
            UpdatedAt = time.GetUtcNow(),
            WorkerToken = tokens.Worker.ToString(),
            ManagerToken = tokens.Manager.ToString(),
        };
        (record, StoreOperation? rotationKey) = WithRootRotation(current.Record, record, update);
        await CompareAndPutAsync(session, ClusterKeys.Cluster, version, SwarmRecords.Bytes(record), cancellationToken, rotationKey).ConfigureAwait(false);
    }

    public async Task<SwarmSummary> SummaryAsync(CancellationToken cancellationToken = default)
    {
        SwarmLocalStatus local = Local;
        if (!local.IsManager)
        {
            return new SwarmSummary(local, null, 0, 0, await RemoteManagersAsync(cancellationToken).ConfigureAwait(false));
        }

        try
        {
            ClusterView cluster = await InspectAsync(cancellationToken).ConfigureAwait(false);
            var nodes = await ListNodesAsync(cancellationToken).ConfigureAwait(false);
            return new SwarmSummary(local, cluster, nodes.Count, nodes.Count(n => n.Manager is not null),
                [.. nodes.Where(n => n.Manager is not null).Select(n => new ManagerPeer(n.Record.Id.Value, n.Manager!.Address))]);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Unavailable)
        {
            return new SwarmSummary(local with { Error = e.Message }, null, 0, 0, await RemoteManagersAsync(cancellationToken).ConfigureAwait(false));
        }
    }

    public Task<IReadOnlyList<NodeView>> ListNodesAsync(CancellationToken cancellationToken = default) =>
        ReadAsManagerAsync(session => ListNodesAsync(session, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<NodeView>> ListNodesAsync(Session session, CancellationToken cancellationToken)
    {
        var nodes = await session.Store.ListAsync(ClusterKeys.Nodes, cancellationToken).ConfigureAwait(false);
        var alive = (await session.Store.ListAsync(ClusterKeys.Heartbeats, cancellationToken).ConfigureAwait(false))
            .ToDictionary(entry => entry.Key[ClusterKeys.Heartbeats.Length..], entry => SwarmRecords.Heartbeat(entry.Value)?.Tls, StringComparer.Ordinal);
        var leader = await session.Store.GetAsync(ClusterKeys.Leader, cancellationToken).ConfigureAwait(false);
        string? leaderId = leader is null ? null : Encoding.UTF8.GetString(leader.Value.Span);
        return [.. nodes.Select(entry =>
        {
            NodeRecord record = SwarmRecords.Node(entry.Value);
            bool ready = alive.TryGetValue(record.Id.Value, out NodeTlsReport? tls);
            ManagerView? manager = record.Role == ClusterRole.Manager
                ? new ManagerView(record.Id.Value == leaderId, External is null ? session.Liveness.Reachable(record.Id) != false : ready, $"{record.Address}:{JoinClient.DefaultPort}")
                : null;
            return new NodeView(record, entry.ModRevision, ready ? NodeLiveness.Ready : NodeLiveness.Down, manager, tls);
        })];
    }

    public async Task<NodeView> GetNodeAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var nodes = await ListNodesAsync(cancellationToken).ConfigureAwait(false);
        return Resolve(nodes, idOrName);
    }

    public async Task UpdateNodeAsync(string idOrName, long version, NodeSpecChange spec, CancellationToken cancellationToken = default)
    {
        var (_, session) = await ManagerAsync(cancellationToken).ConfigureAwait(false);
        NodeView node = await GetNodeAsync(idOrName, cancellationToken).ConfigureAwait(false);
        if (node.Version != version)
        {
            throw SwarmErrors.Sequence();
        }

        if (spec.Role == ClusterRole.Worker && node.Record.Role == ClusterRole.Manager)
        {
            // A swarm in an external store has no members of its managers: that etcd's quorum is its own.
            var members = External is null ? await session.Connection.Members.ListAsync(cancellationToken).ConfigureAwait(false) : null;
            RefuseDemotion(node, await ListNodesAsync(cancellationToken).ConfigureAwait(false), members);
        }

        // A role change is acted on by the node itself, which watches its record (SwarmNode.Roles).
        bool manager = RunsMember(spec.Role);
        var record = node.Record with
        {
            Name = spec.Name,
            Labels = spec.Labels,
            Availability = spec.Availability,
            Role = spec.Role,
            EtcdClientUrl = manager ? EtcdClusterBackend.ClientUrl(node.Record.Address) : null,
            EtcdPeerUrl = manager ? EtcdClusterBackend.PeerUrl(node.Record.Address) : null,
            UpdatedAt = time.GetUtcNow(),
        };
        await CompareAndPutAsync(session, ClusterKeys.Node(record.Id), version, SwarmRecords.Bytes(record), cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveNodeAsync(string idOrName, bool force, CancellationToken cancellationToken = default)
    {
        var (_, session) = await ManagerAsync(cancellationToken).ConfigureAwait(false);
        NodeView node = await GetNodeAsync(idOrName, cancellationToken).ConfigureAwait(false);
        if (node.Record.Role == ClusterRole.Manager)
        {
            throw SwarmErrors.ManagerNotDemoted(node.Record.Id.Value);
        }

        if (node.Liveness == NodeLiveness.Ready && !force)
        {
            throw SwarmErrors.NotDown(node.Record.Id.Value);
        }

        await WriteAsync(() => session.Store.TransactAsync(new StoreTransaction
        {
            Success = [StoreOperation.Delete(ClusterKeys.Node(node.Record.Id)), StoreOperation.Delete(ClusterKeys.Heartbeat(node.Record.Id))],
        }, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// swarmkit <c>UpdateNode</c>: the last manager stays one, and no demotion may cost the quorum of the managers'
    /// etcd members (<paramref name="members"/>; null in an external store). Like swarmkit's raft member list, only
    /// voting members count: a manager whose member is gone (a cluster forced from another's copy) costs nothing.
    /// </summary>
    private static void RefuseDemotion(NodeView node, IReadOnlyList<NodeView> nodes, IReadOnlyList<EtcdMemberInfo>? members)
    {
        var managers = nodes.Where(n => n.Record.Role == ClusterRole.Manager).ToList();
        if (managers.Count == 1)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "attempting to demote the last manager of the swarm");
        }

        if (members is null)
        {
            return;
        }

        var voters = managers.Where(n => members.Any(m => !m.IsLearner && (m.Name == n.Record.Id.Value || (n.Record.EtcdPeerUrl is { } peer && m.PeerUrls.Contains(peer))))).ToList();
        if (!voters.Any(n => n.Record.Id == node.Record.Id))
        {
            return;
        }

        int reachableAfter = voters.Count(n => n.Record.Id != node.Record.Id && n.Manager?.Reachable == true);
        if (reachableAfter < ((voters.Count - 1) / 2) + 1)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "can't remove member from the raft: this would result in a loss of quorum");
        }
    }

    private NodeView Resolve(IReadOnlyList<NodeView> nodes, string idOrName)
    {
        string wanted = idOrName == "self" && _state is { } state ? state.Node.Value : idOrName;
        var exact = nodes.FirstOrDefault(n => n.Record.Id.Value == wanted)
            ?? nodes.FirstOrDefault(n => n.Record.Name == wanted)
            ?? nodes.FirstOrDefault(n => n.Record.Host.Hostname == wanted);
        if (exact is not null)
        {
            return exact;
        }

        var prefixed = wanted.Length == 0 ? [] : nodes.Where(n => n.Record.Id.Value.StartsWith(wanted, StringComparison.Ordinal)).ToList();
        return prefixed.Count switch
        {
            1 => prefixed[0],
            0 => throw new BerthException(ErrorKind.NotFound, $"node {idOrName} not found"),
            _ => throw new BerthException(ErrorKind.InvalidArgument, $"node {idOrName} is ambiguous ({prefixed.Count} matches found)"),
        };
    }

    private static async Task CompareAndPutAsync(Session session, string key, long version, byte[] value, CancellationToken cancellationToken, StoreOperation? alongside = null)
    {
        var result = await WriteAsync(() => session.Store.TransactAsync(new StoreTransaction
        {
            Compares = [new StoreCompare(key, version)],
            Success = alongside is { } other ? [StoreOperation.Put(key, value), other] : [StoreOperation.Put(key, value)],
        }, cancellationToken)).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw SwarmErrors.Sequence();
        }
    }

    /// <summary>A worker's managers: from its state, or in an external store (whose endpoints are no managers) from their records.</summary>
    private async Task<System.Collections.Immutable.ImmutableArray<ManagerPeer>> RemoteManagersAsync(CancellationToken cancellationToken)
    {
        if (External is null || _state is not { } state || Volatile.Read(ref _session) is not { } session)
        {
            return RemoteManagersFromState();
        }

        try
        {
            return [.. (await ManagerAddressesAsync(session.Store, state.Node, cancellationToken).ConfigureAwait(false)).Select(address => new ManagerPeer("", address))];
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Unavailable)
        {
            return [];
        }
    }

    private System.Collections.Immutable.ImmutableArray<ManagerPeer> RemoteManagersFromState() =>
        _state is { } state
            ? [.. state.EtcdEndpoints.Select(url => new ManagerPeer("", $"{url.Host}:{JoinClient.DefaultPort}"))]
            : [];
}
