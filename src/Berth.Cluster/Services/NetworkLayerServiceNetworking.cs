using System.Net;
using Berth.Cluster.Identity;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Cluster;
using Berth.Network.Endpoints;
using Berth.Network.Networks;
using Berth.Network.Services;
using Berth.Store;

namespace Berth.Cluster.Services;

/// <summary>
/// <see cref="IServiceNetworking"/> over the network layer: swarm-scoped networks by id or name (a local one is found
/// but not eligible), services' virtual IPs claimed from the network's cluster IPAM under the owner
/// <c>vip-&lt;service id&gt;</c>, a task container's endpoints put in or taken out of rotation, and whether the network
/// layer follows a session's cluster yet.
/// </summary>
public sealed class NetworkLayerServiceNetworking(NetworkManager networks, ClusterServiceAddresses addresses, EndpointManager endpoints, ClusterNetworking cluster)
    : IServiceNetworking
{
    public async Task<ServiceNetworkInfo?> ResolveNetworkAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        NetworkState network;
        try
        {
            network = await networks.GetAsync(idOrName, cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }

        return Info(network);
    }

    public async Task<string> ClaimVirtualIpAsync(string networkId, ServiceId service, CancellationToken cancellationToken = default) =>
        (await addresses.ClaimAsync(new NetworkId(networkId), Owner(service), cancellationToken: cancellationToken).ConfigureAwait(false)).ToString();

    public async Task ReleaseVirtualIpAsync(string networkId, ServiceId service, string address, CancellationToken cancellationToken = default)
    {
        var ip = IPPrefix.TryParse(address, out var prefix) ? prefix.Address : IPAddress.Parse(address);
        await addresses.ReleaseAsync(new NetworkId(networkId), ip, Owner(service), cancellationToken).ConfigureAwait(false);
    }

    public async Task CreateIngressNetworkAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await networks.CreateAsync(new NetworkConfig
            {
                Name = ServiceManager.IngressNetworkName,
                Driver = NetworkDrivers.Overlay,
                Scope = "swarm",
                Ingress = true,
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Conflict)
        {
            // Made already (a leader that crashed before noting it), or the user's own: left as it is.
        }
    }

    public Task<ServiceNetworkInfo?> IngressNetworkAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(networks.IngressNetwork() is { } ingress ? Info(ingress) : null);

    private static ServiceNetworkInfo Info(NetworkState network) => new(network.Id.Value, network.Name, NetworkManager.IsSwarmScoped(network))
    {
        Attachable = network.Config.Attachable,
        IsIngress = network.Config.Ingress,
    };

    public async Task<bool> SetInRotationAsync(string containerId, bool inRotation, CancellationToken cancellationToken = default)
    {
        if (!endpoints.OfContainer(containerId).Any(e => e.ServiceId is not null && e.ClusterName is not null && e.OutOfRotation == inRotation))
        {
            return false;
        }

        await endpoints.SetInRotationAsync(containerId, inRotation, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public bool Follows(IStateStore store) => ReferenceEquals(cluster.Applied?.Store, store);

    public IDisposable AnswerServiceUsers(Func<string, CancellationToken, Task<string?>> users)
    {
        Func<NetworkId, CancellationToken, Task<string?>> answer = (network, cancellationToken) => users(network.Value, cancellationToken);
        networks.ServiceUsersAsync = answer;
        return new Registration(() =>
        {
            if (networks.ServiceUsersAsync == answer)
            {
                networks.ServiceUsersAsync = null;
            }
        });
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }

    public static string Owner(ServiceId service) => "vip-" + service.Value;
}
