using Berth.Core.Networks;
using Berth.Network.Ipam;
using Berth.Network.Networks;
using Berth.Store;

namespace Berth.Network.Endpoints;

/// <summary>berthd's start: the stored endpoints loaded, and what a crash left beside them removed.</summary>
public sealed partial class EndpointManager
{
    /// <summary>
    /// Loads stored endpoints (dropping those whose network is gone), claims their addresses if a store written before
    /// claims existed lacks them, and starts watching the store.
    /// </summary>
    public async Task RestoreAsync(CancellationToken cancellationToken = default)
    {
        long revision = await _store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
        var networks = (await _networks.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(n => n.Id);
        var claimed = (await _store.ListAsync(AddressClaims.Prefix, cancellationToken).ConfigureAwait(false)).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in await _store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            var endpoint = Decode(entry);
            // A swarm-scoped network is unknown until the cluster is linked again (after this): its endpoints stay.
            if (!networks.ContainsKey(endpoint.NetworkId) && endpoint.ClusterName is null)
            {
                await _store.TryDeleteAsync(entry.Key, entry.ModRevision, cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var address in new[] { endpoint.IPv4?.Address, endpoint.IPv6?.Address })
            {
                if (address is not null && endpoint.ClusterName is null && !claimed.Contains(AddressClaims.KeyOf(endpoint.NetworkId, address)))
                {
                    await Addresses.AdoptAsync(endpoint.NetworkId, address, endpoint.ContainerId, cancellationToken).ConfigureAwait(false);
                }
            }

            Apply(endpoint.ContainerId, endpoint.NetworkId, endpoint, entry.ModRevision);
        }

        // Local networks only: a swarm-scoped network's claims are the cluster's, its other nodes' endpoints not known here.
        foreach (var network in networks.Values.Where(n => !NetworkManager.IsSwarmScoped(n)))
        {
            await RemoveStraysAsync(network, cancellationToken).ConfigureAwait(false);
        }

        _watch = WatchStoreAsync(revision, _stopping.Token);
    }

    /// <summary>
    /// A crash between the kernel work of a connect and its record (or between claiming its addresses and the kernel
    /// work) left a link or a claim no endpoint accounts for: the driver removes its links, the claims are released.
    /// </summary>
    private async Task RemoveStraysAsync(NetworkState network, CancellationToken cancellationToken)
    {
        var driver = Drivers.Of(network);
        var on = _endpoints.Where(e => e.NetworkId == network.Id).ToList();
        foreach (string stray in driver.RemoveStrays(network, on.Where(e => e.HostInterface is not null).Select(e => e.HostInterface!).ToHashSet(StringComparer.Ordinal)))
        {
            NetworkLog.Repaired(_logger, network.Name, $"link {stray} of no endpoint removed");
        }

        var holders = on.Select(e => e.ContainerId).ToHashSet(StringComparer.Ordinal);
        foreach (var (address, owner) in await _networks.AddressesOf(network).ListAsync(network.Id, cancellationToken).ConfigureAwait(false))
        {
            if (!holders.Contains(owner) && PoolOf(driver, network, address.AddressFamily) is { } pool)
            {
                await _networks.AddressesOf(network).ReleaseAsync(network.Id, network.Name, pool, address, owner, cancellationToken).ConfigureAwait(false);
                NetworkLog.Repaired(_logger, network.Name, $"address {address} claimed for {owner} by no endpoint released");
            }
        }
    }
}
