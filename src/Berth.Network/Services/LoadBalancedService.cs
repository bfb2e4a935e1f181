using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Berth.Core.Networks;

namespace Berth.Network.Services;

/// <summary>
/// One VIP as a client's load balancing table programs it: its chain, the ports it answers on, its backends in a
/// stable order. Derived from a <see cref="ServiceView"/>; two equal values need no change of the table.
/// </summary>
public sealed record LoadBalancedService(string Chain, IPAddress Vip, ImmutableArray<ServiceBindingPort> Ports, ImmutableArray<IPAddress> Backends)
{
    /// <summary>Hex digits of the (network, service) hash in chain names: 64 bits, collisions out of reach.</summary>
    private const int ChainHashLength = 16;

    /// <summary>The service's VIP on the view's network; null for a dnsrr service, one without a VIP, or the ingress binding (the routing mesh's).</summary>
    public static LoadBalancedService? From(NetworkId network, ServiceView service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (service.Binding is not { Mode: ServiceEndpointMode.Vip, Vip: { } vip, Ingress: false } || vip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return null;
        }

        return new LoadBalancedService(ChainOf(network, service.Binding.ServiceId), vip, service.Binding.Ports, [.. service.Backends.Select(b => b.Address)]);
    }

    /// <summary><c>svc-&lt;hash&gt;</c>: a name nft accepts whatever the ids hold.</summary>
    public static string ChainOf(NetworkId network, string serviceId) =>
        "svc-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(network.Value + "/" + serviceId)))[..ChainHashLength];

    /// <summary><c>ep-&lt;hash&gt;-&lt;address as hex&gt;</c>: the chain that sends a connection to one backend.</summary>
    public string BackendChain(IPAddress backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return "ep-" + Chain["svc-".Length..] + "-" + Convert.ToHexStringLower(backend.GetAddressBytes());
    }

    public bool Equals(LoadBalancedService? other) =>
        other is not null && Chain == other.Chain && Vip.Equals(other.Vip) && Ports.SequenceEqual(other.Ports) && Backends.SequenceEqual(other.Backends);

    public override int GetHashCode() => HashCode.Combine(Chain, Vip, Ports.Length, Backends.Length);
}
