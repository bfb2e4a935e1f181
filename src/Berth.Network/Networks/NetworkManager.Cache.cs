using Berth.Core.Networks;
using Berth.Network.Persistence;
using Berth.Store;

namespace Berth.Network.Networks;

/// <summary>The cache of networks, kept by a watch on the store (another daemon's writes included).</summary>
public sealed partial class NetworkManager
{
    /// <summary>
    /// The cache changed: a network came, went or changed (of this node or of the cluster), or the cluster's networks
    /// were loaded or dropped. Raised on the thread that changed it, after the change; handlers only take note.
    /// </summary>
    public event Action? NetworksChanged;

    /// <summary>
    /// Puts a network (or its absence) into the cache if <paramref name="revision"/> is newer than what the cache has
    /// for it. Ready and draining networks are kept (a draining one only for its endpoints: see <see cref="Visible"/>);
    /// one being created or deleted is not.
    /// </summary>
    private void Apply(NetworkId id, NetworkState? network, long revision) => Apply(_fence, id, network, revision);

    /// <param name="fence">The fence of the store the change comes from (local and cluster revisions are unrelated).</param>
    private void Apply(RevisionFence fence, NetworkId id, NetworkState? network, long revision)
    {
        lock (_cacheLock)
        {
            if (!fence.TryAdvance(NetworkRepository.Key(id), revision))
            {
                return;
            }

            _networks = Kept(network) ? _networks.SetItem(id, network!) : _networks.Remove(id);
        }

        NetworksChanged?.Invoke();
    }

    /// <summary>Whether the cache holds the network: ready, or draining (its endpoints still leaving).</summary>
    private static bool Kept(NetworkState? network) => network is { Phase: NetworkPhase.Ready or NetworkPhase.Draining };

    /// <summary>Whether users see the network (lists, names, a new endpoint): a draining one is gone for them, as Docker's is at once.</summary>
    private static bool Visible(NetworkState network) => network.Phase == NetworkPhase.Ready;

    /// <summary>Keeps the cache in step with the store: this process's writes come back (and are skipped), other processes' show up.</summary>
    private async Task WatchStoreAsync(NetworkRepository repository, RevisionFence fence, long revision, CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in repository.Store.WatchAsync(NetworkRepository.Prefix, revision, cancellationToken).ConfigureAwait(false))
                {
                    var id = new NetworkId(change.Key[NetworkRepository.Prefix.Length..]);
                    var before = _networks.GetValueOrDefault(id);
                    var after = change.Entry is { } entry ? NetworkRepository.Decode(entry) : null;
                    Apply(fence, id, after, change.Revision);
                    if (before is not null && IsSwarmScoped(before) && !Kept(after))
                    {
                        // Removed on a manager: whatever of it this node still has goes too.
                        TryDeleteKernelObjects(before);
                    }

                    if (change.Kind == StoreEventKind.Delete)
                    {
                        lock (_cacheLock)
                        {
                            fence.Settle(change.Key, change.Revision);
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
                revision = await repository.Store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
                var listed = await repository.LoadAllAsync(cancellationToken).ConfigureAwait(false);
                foreach (var stored in listed)
                {
                    Apply(fence, stored.Network.Id, stored.Network, stored.ModRevision);
                }

                bool swarm = !ReferenceEquals(repository, _repository);
                foreach (var gone in _networks.Values.Where(n => IsSwarmScoped(n) == swarm).Select(n => n.Id).Except(listed.Select(s => s.Network.Id)).ToList())
                {
                    Apply(fence, gone, null, revision);
                }
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }
}
