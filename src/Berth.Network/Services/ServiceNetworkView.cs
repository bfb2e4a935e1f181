using System.Collections.Immutable;
using Berth.Core.Networks;

namespace Berth.Network.Services;

/// <summary>Every service bound to one network, with its backends, as one snapshot (empty: none is bound there).</summary>
public sealed record ServiceNetworkView(NetworkId Network, ImmutableArray<ServiceView> Services)
{
    public static ServiceNetworkView Empty(NetworkId network) => new(network, []);

    /// <summary>The services balanced by a VIP.</summary>
    public IEnumerable<ServiceView> VipServices => Services.Where(s => s.Binding is { Mode: ServiceEndpointMode.Vip, Vip: not null });
}
