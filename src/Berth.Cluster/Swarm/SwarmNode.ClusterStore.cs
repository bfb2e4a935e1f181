using System.Net;
using System.Net.Sockets;
using Berth.Cluster.Identity;
using Berth.Core.Errors;
using Berth.Store;

namespace Berth.Cluster.Swarm;

/// <summary>
/// A swarm on an etcd the user runs (berthd <c>--cluster-store</c>): what differs from a swarm whose managers run its
/// etcd. No node runs a member and nothing changes the etcd's membership or turns its auth on (it is not Berth's);
/// every node connects with the credentials of its own flags. The etcd's cluster id is kept in the cluster record and
/// in each node's state, so a node pointed at another etcd, or at none, is refused instead of making a second swarm.
/// </summary>
public sealed partial class SwarmNode
{
    /// <summary>etcd's default <c>--max-txn-ops</c>: no transaction here holds more operations.</summary>
    private const int MaxTransactionOperations = 128;

    private ExternalClusterStore? External => backend.ExternalStore;

    /// <summary>Whether a node of <paramref name="role"/> runs an etcd member: a manager, unless the swarm lives in an external store.</summary>
    private bool RunsMember(ClusterRole role) => role == ClusterRole.Manager && External is null;

    /// <summary>The external store's etcd cluster id, asked before anything is made; null without <c>--cluster-store</c>.</summary>
    private async Task<string?> ExternalStoreIdAsync(CancellationToken cancellationToken) =>
        External is null ? null : await backend.IdentifyExternalStoreAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Before a node goes back into its swarm: berthd's flags must name the store the swarm lives in.</summary>
    private async Task CheckOwnStoreAsync(LocalSwarmState state, CancellationToken cancellationToken)
    {
        const string OrLeave = "or leave the swarm with docker swarm leave --force";
        if (state.ClusterStoreId is null && External is not { } external)
        {
            return;
        }

        if (state.ClusterStoreId is null)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"this node is in swarm {state.Cluster}, whose managers run its etcd, but berthd was started with --cluster-store {External!.Url}; start berthd without --cluster-store, {OrLeave}");
        }

        if (External is null)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"this node is in swarm {state.Cluster}, which lives in an external etcd (cluster id {state.ClusterStoreId}), but berthd was started without --cluster-store; "
                + $"start berthd with the --cluster-store and --cluster-store-opt of that etcd, {OrLeave}");
        }

        string id = await backend.IdentifyExternalStoreAsync(cancellationToken).ConfigureAwait(false);
        if (id != state.ClusterStoreId)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"--cluster-store {External.Url} is the etcd cluster {id}, but this node's swarm {state.Cluster} lives in the etcd cluster {state.ClusterStoreId}; point --cluster-store at that etcd, {OrLeave}");
        }
    }

    /// <summary>The manager's check of a joiner: its own store must be the swarm's (none for a swarm whose managers run etcd).</summary>
    private static void CheckJoinerStore(ClusterRecord cluster, JoinRequest request)
    {
        if (cluster.ClusterStoreId == request.ClusterStoreId)
        {
            return;
        }

        string message = (cluster.ClusterStoreId, request.ClusterStoreId) switch
        {
            (not null, null) =>
                $"this swarm keeps its state in the external etcd {cluster.ClusterStoreUrl} (etcd cluster {cluster.ClusterStoreId}) and the joining node's berthd runs without --cluster-store; "
                + $"start it with --cluster-store {cluster.ClusterStoreUrl} (and the --cluster-store-opt that etcd needs), then join again",
            (null, not null) =>
                $"this swarm's managers run its etcd, and the joining node's berthd runs with --cluster-store (etcd cluster {request.ClusterStoreId}); start it without --cluster-store, then join again",
            _ =>
                $"the joining node's --cluster-store is the etcd cluster {request.ClusterStoreId}, but this swarm keeps its state in the etcd cluster {cluster.ClusterStoreId} ({cluster.ClusterStoreUrl}); "
                + "point its --cluster-store at the swarm's etcd, then join again",
        };
        throw new BerthException(ErrorKind.InvalidArgument, message);
    }

    /// <summary><c>swarm init</c> on a store that already holds a swarm (its keys outlived it, or another swarm lives there).</summary>
    private static async Task<BerthException> StoreTakenAsync(IStateStore store, string? url, CancellationToken cancellationToken)
    {
        var entry = await store.GetAsync(ClusterKeys.Cluster, cancellationToken).ConfigureAwait(false);
        string other = entry is null ? "another swarm" : $"swarm {SwarmRecords.Cluster(entry.Value).Id}";
        return new BerthException(ErrorKind.Conflict,
            $"the cluster store {url ?? "(this node's etcd)"} already holds {other}; join it with docker swarm join, "
            + $"or, if that swarm is gone, delete its keys (etcdctl del --prefix {ClusterKeys.StorePrefix}swarm/) and init again");
    }

    /// <summary>The managers' join-service addresses (<c>HOST:2377</c>) from their records, this node's left out.</summary>
    private static async Task<IReadOnlyList<string>> ManagerAddressesAsync(IStateStore store, NodeId self, CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(ClusterKeys.Nodes, cancellationToken).ConfigureAwait(false))
            .Select(entry => SwarmRecords.Node(entry.Value))
            .Where(node => node.Role == ClusterRole.Manager && node.Id != self)
            .Select(node => IPAddress.TryParse(node.Address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
                ? $"[{node.Address}]:{JoinClient.DefaultPort}"
                : $"{node.Address}:{JoinClient.DefaultPort}")];

    /// <summary>
    /// The last manager leaving a swarm in an external store erases the swarm's keys, as leaving erases a swarm whose
    /// last member goes (Docker: "Removing the last manager erases all current state of the swarm"); while another
    /// manager's record remains, even a Down one, the keys stay for it.
    /// </summary>
    private async Task EraseSwarmIfLastManagerAsync(IClusterConnection connection, LocalSwarmState state)
    {
        try
        {
            if ((await ManagerAddressesAsync(connection.Store, state.Node, CancellationToken.None).ConfigureAwait(false)).Count > 0)
            {
                return;
            }

            var keys = await connection.Store.ListAsync("swarm/", CancellationToken.None).ConfigureAwait(false);
            foreach (var batch in keys.Chunk(MaxTransactionOperations))
            {
                await connection.Store.TransactAsync(new StoreTransaction { Success = [.. batch.Select(entry => StoreOperation.Delete(entry.Key))] },
                    CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (BerthException e)
        {
            SwarmLog.UndoFailed(logger, $"erase the swarm {state.Cluster} from the cluster store {External?.Url} (etcdctl del --prefix {ClusterKeys.StorePrefix}swarm/ does it)", e);
        }
    }
}
