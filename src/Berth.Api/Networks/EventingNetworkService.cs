using Berth.Core.Networks;
using Berth.Network.Networks;
using Berth.Runtime.Engine;

namespace Berth.Api.Networks;

/// <summary>
/// The network service the API calls, publishing a network's <c>create</c> and <c>destroy</c> (prune's included)
/// to the daemon's <see cref="EventHub"/>, with moby's attributes <c>name</c> and <c>type</c> (the driver).
/// </summary>
internal sealed class EventingNetworkService(INetworkService inner, EventHub events) : INetworkService
{
    public async Task<NetworkState> CreateAsync(NetworkConfig config, bool checkDuplicate = true, CancellationToken cancellationToken = default)
    {
        var network = await inner.CreateAsync(config, checkDuplicate, cancellationToken).ConfigureAwait(false);
        Publish(network, "create");
        return network;
    }

    public Task<IReadOnlyList<NetworkState>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

    public Task<NetworkState> GetAsync(string idOrName, CancellationToken cancellationToken = default) => inner.GetAsync(idOrName, cancellationToken);

    public async Task DeleteAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        var network = await inner.GetAsync(idOrName, cancellationToken).ConfigureAwait(false);
        await inner.DeleteAsync(network.Id.Value, cancellationToken).ConfigureAwait(false);
        Publish(network, "destroy");
    }

    public async Task<IReadOnlyList<NetworkState>> PruneAsync(Func<NetworkState, bool> predicate, CancellationToken cancellationToken = default)
    {
        var removed = await inner.PruneAsync(predicate, cancellationToken).ConfigureAwait(false);
        foreach (var network in removed)
        {
            Publish(network, "destroy");
        }

        return removed;
    }

    private void Publish(NetworkState network, string action) =>
        events.Publish("network", action, network.Id.Value, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = network.Name,
            ["type"] = network.Driver,
        });
}
