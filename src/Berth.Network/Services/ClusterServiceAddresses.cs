using System.Net;
using System.Net.Sockets;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Networks;

namespace Berth.Network.Services;

/// <summary>
/// Services' virtual IPs on swarm-scoped networks, for the leader: claimed from the network's cluster IPAM with the same
/// claim records as containers' addresses (<c>ipam/&lt;network&gt;/&lt;address&gt;</c> → the owner), so no container is
/// ever given a VIP and a released VIP is free again. The owner names the holder (e.g. <c>vip-&lt;service id&gt;</c>);
/// only the owner's release frees it.
/// </summary>
public sealed class ClusterServiceAddresses(NetworkManager networks)
{
    /// <summary>
    /// A swarm-scoped network by id, name or unique id prefix (id, name, scope, driver, attachable and internal are in
    /// its config). NotFound for an unknown network or a local one, as Docker answers a service's <c>--network</c>.
    /// </summary>
    public async Task<NetworkState> ResolveAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idOrName);
        NetworkState network;
        try
        {
            network = await networks.GetAsync(idOrName, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            throw NotFound(idOrName);
        }

        return NetworkManager.IsSwarmScoped(network) ? network : throw NotFound(idOrName);
    }

    /// <summary>
    /// Claims a free IPv4 address of the network for <paramref name="owner"/>, with the subnet's prefix length.
    /// <paramref name="preferred"/> (the VIP the service had, after a leader change) is taken again if free.
    /// NotFound: no such swarm-scoped network; InvalidArgument: it has no IPv4 subnet; Unavailable: none left.
    /// </summary>
    public async Task<IPPrefix> ClaimAsync(NetworkId network, string owner, IPAddress? preferred = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var (state, pool) = PoolOf(network);
        var address = await networks.AddressesOf(state).ClaimAsync(state.Id, state.Name, pool, owner, preferred: preferred, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new IPPrefix(address, pool.Subnet.PrefixLength);
    }

    /// <summary>Gives the address back if <paramref name="owner"/> holds it; false when it was gone or someone else's. A gone network: false.</summary>
    public async Task<bool> ReleaseAsync(NetworkId network, IPAddress address, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (networks.Find(network) is not { } state || !NetworkManager.IsSwarmScoped(state))
        {
            // Removing a network drops all of its claims (AddressClaims.ForgetNetworkAsync).
            return false;
        }

        var (_, pool) = PoolOf(network);
        return await networks.AddressesOf(state).ReleaseAsync(state.Id, state.Name, pool, address, owner, cancellationToken).ConfigureAwait(false);
    }

    private (NetworkState Network, SubnetAllocation Pool) PoolOf(NetworkId id)
    {
        var network = networks.Find(id) is { } found && NetworkManager.IsSwarmScoped(found) ? found : throw NotFound(id.Value);
        var subnet = network.Subnets.FirstOrDefault(s => s.Subnet.BaseAddress.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new BerthException(ErrorKind.InvalidArgument, $"network {network.Name} has no IPv4 subnet for a service's virtual IP; use --endpoint-mode dnsrr");
        return (network, networks.Drivers.Of(network).AddressPool(network, subnet));
    }

    private static BerthException NotFound(string idOrName) =>
        new(ErrorKind.NotFound, $"network {idOrName} not found: a service can only use swarm-scoped networks (docker network create -d overlay)");
}
