using System.Text.Json;
using Berth.Core.Networks;
using Berth.Store;

namespace Berth.Network.Persistence;

/// <summary>Networks in the state store, one JSON document per network under <c>networks/&lt;id&gt;</c>.</summary>
public sealed class NetworkRepository(IStateStore store)
{
    public const string Prefix = "networks/";


    public async Task<IReadOnlyList<NetworkState>> LoadAllAsync(CancellationToken cancellationToken = default)
    {
        var entries = await store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false);
        var networks = new List<NetworkState>(entries.Count);
        foreach (var entry in entries)
        {
            networks.Add(JsonSerializer.Deserialize(entry.Value.Span, NetworkStateJsonContext.Default.NetworkState)
                ?? throw new JsonException($"state entry {entry.Key} is empty"));
        }

        return networks;
    }

    /// <summary>Writes the network durably (the store fsyncs before returning).</summary>
    public Task SaveAsync(NetworkState network, CancellationToken cancellationToken = default) =>
        store.PutAsync(Key(network.Id), JsonSerializer.SerializeToUtf8Bytes(network, NetworkStateJsonContext.Default.NetworkState), cancellationToken);

    public Task DeleteAsync(NetworkId id, CancellationToken cancellationToken = default) =>
        store.DeleteAsync(Key(id), cancellationToken);

    private static string Key(NetworkId id) => Prefix + id.Value;
}
