using Berth.Store;

namespace Berth.Network.Cluster;

/// <summary>Records a previous berthd of this node left.</summary>
public sealed partial class ClusterEndpoints
{
    /// <summary>
    /// Once this node's endpoints are published again (a berthd's start): its records this berthd did not publish are a
    /// previous berthd's — runs that ended while no berthd ran, or whose release a crash cut short — and go now, not
    /// when that berthd's lease lapses (its TTL later, and etcd gives every lease its whole TTL again when it restarts);
    /// until then other nodes balanced to them and a manager refused to remove their network as in use. Each goes only
    /// if unchanged since it was listed, so a record published meanwhile stays. Returns how many went.
    /// </summary>
    public async Task<int> WithdrawStaleAsync(CancellationToken cancellationToken = default)
    {
        var connection = Volatile.Read(ref _connection) ?? throw NotConnected();
        int withdrawn = 0;
        foreach (var record in await connection.Link.Store.ListAsync($"{Prefix}{connection.Link.NodeId}/", cancellationToken).ConfigureAwait(false))
        {
            if (!_published.ContainsKey(record.Key)
                && await connection.Link.Store.TryDeleteAsync(record.Key, record.ModRevision, cancellationToken).ConfigureAwait(false))
            {
                withdrawn++;
            }
        }

        return withdrawn;
    }
}
