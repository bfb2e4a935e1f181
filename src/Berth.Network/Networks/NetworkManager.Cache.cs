using Berth.Core.Networks;
using Berth.Network.Persistence;
using Berth.Store;

namespace Berth.Network.Networks;

/// <summary>The cache of networks, kept by a watch on the store (another daemon's writes included).</summary>
public sealed partial class NetworkManager
{
    /// <summary>
    /// Puts a network (or its absence) into the cache if <paramref name="revision"/> is newer than what the cache has
    /// for it. Only ready networks are visible; one being created or deleted is not.
    /// </summary>
    private void Apply(NetworkId id, NetworkState? network, long revision)
    {
        lock (_cacheLock)
        {
            if (!_fence.TryAdvance(NetworkRepository.Key(id), revision))
            {
                return;
            }

            _networks = network is { Phase: NetworkPhase.Ready } ? _networks.SetItem(id, network) : _networks.Remove(id);
        }
    }

    /// <summary>Keeps the cache in step with the store: this process's writes come back (and are skipped), other processes' show up.</summary>
    private async Task WatchStoreAsync(long revision, CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in _repository.Store.WatchAsync(NetworkRepository.Prefix, revision, cancellationToken).ConfigureAwait(false))
                {
                    var id = new NetworkId(change.Key[NetworkRepository.Prefix.Length..]);
                    Apply(id, change.Entry is { } entry ? NetworkRepository.Decode(entry) : null, change.Revision);
                    if (change.Kind == StoreEventKind.Delete)
                    {
                        lock (_cacheLock)
                        {
                            _fence.Settle(change.Key, change.Revision);
                        }
                    }

                    revision = change.Revision;
                }

                return;
            }
            catch (StoreWatchLostException e)
            {
                // Fell behind or compacted: list again, and watch from the listed revision.
                NetworkLog.WatchLost(_logger, e.Message);
                revision = await _repository.Store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
                var listed = await _repository.LoadAllAsync(cancellationToken).ConfigureAwait(false);
                foreach (var stored in listed)
                {
                    Apply(stored.Network.Id, stored.Network, stored.ModRevision);
                }

                foreach (var gone in _networks.Keys.Except(listed.Select(s => s.Network.Id)).ToList())
                {
                    Apply(gone, null, revision);
                }
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }
}
