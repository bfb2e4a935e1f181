using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Networks;
using Berth.Network.Persistence;
using Berth.Store;

namespace Berth.Network.Endpoints;

/// <summary>The endpoint records in the store: compare-and-swap updates and the cache kept by a watch.</summary>
public sealed partial class EndpointManager
{
    /// <summary>Read-modify-write of one endpoint record with compare-and-swap on its revision, retried on conflict.</summary>
    private async Task UpdateAsync(EndpointState endpoint, Func<EndpointState, EndpointState> change, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < MaxUpdateAttempts; attempt++)
        {
            var entry = await _store.GetAsync(Key(endpoint), cancellationToken).ConfigureAwait(false)
                ?? throw new BerthException(ErrorKind.NotFound, $"endpoint {endpoint.EndpointId} of container {endpoint.ContainerId} is gone");
            var updated = change(Decode(entry));
            var result = await _store.TransactAsync(new StoreTransaction
            {
                Compares = [new StoreCompare(entry.Key, entry.ModRevision)],
                Success = [StoreOperation.Put(entry.Key, Encode(updated))],
            }, cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                Apply(updated.ContainerId, updated.NetworkId, updated, result.Revision);
                return;
            }
        }

        throw new BerthException(ErrorKind.Unavailable, $"endpoint of container {endpoint.ContainerId}: the record kept changing during {MaxUpdateAttempts} attempts to update it; retry");
    }

    /// <summary>Keeps the cache in step with the store: this process's writes come back (and are skipped), other processes' show up.</summary>
    private async Task WatchStoreAsync(long revision, CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in _store.WatchAsync(Prefix, revision, cancellationToken).ConfigureAwait(false))
                {
                    if (ParseKey(change.Key) is var (containerId, network))
                    {
                        Apply(containerId, network, change.Entry is { } entry ? Decode(entry) : null, change.Revision);
                        if (change.Kind == StoreEventKind.Delete)
                        {
                            lock (_cacheLock)
                            {
                                _fence.Settle(change.Key, change.Revision);
                            }
                        }
                    }

                    revision = change.Revision;
                }

                return;
            }
            catch (StoreWatchLostException)
            {
                // Fell behind or compacted: list again, and watch from the listed revision.
                revision = await _store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
                var listed = (await _store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false)).Select(e => (Endpoint: Decode(e), e.ModRevision)).ToList();
                foreach (var (endpoint, modRevision) in listed)
                {
                    Apply(endpoint.ContainerId, endpoint.NetworkId, endpoint, modRevision);
                }

                var present = listed.Select(l => (l.Endpoint.ContainerId, l.Endpoint.NetworkId)).ToHashSet();
                foreach (var gone in _endpoints.Where(e => !present.Contains((e.ContainerId, e.NetworkId))).ToList())
                {
                    Apply(gone.ContainerId, gone.NetworkId, null, revision);
                }
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    private static EndpointState Decode(StoreEntry entry) =>
        JsonSerializer.Deserialize(entry.Value.Span, EndpointStateJsonContext.Default.EndpointState)
            ?? throw new JsonException($"state entry {entry.Key} is empty");

    private static byte[] Encode(EndpointState endpoint) => JsonSerializer.SerializeToUtf8Bytes(endpoint, EndpointStateJsonContext.Default.EndpointState);

    private static string Key(EndpointState endpoint) => $"{Prefix}{endpoint.ContainerId}/{endpoint.NetworkId.Value}";
}
