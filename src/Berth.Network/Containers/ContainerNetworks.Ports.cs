using System.Collections.Immutable;
using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Core.Ports;
using Berth.Network.Drivers;
using Berth.Network.Ports;

namespace Berth.Network.Containers;

/// <summary>Published ports of a running container: on its first network that is not internal, of a driver that publishes ports (bridge), as Docker does.</summary>
public sealed partial class ContainerNetworks
{
    /// <summary>
    /// Publishes the bindings to the container's address on its first non-internal network whose driver declares
    /// <see cref="NetworkDriverCapabilities.PublishesPorts"/>. A container without one (host, none, macvlan or
    /// internal networks only) publishes nothing, as with Docker.
    /// </summary>
    public async Task<ImmutableArray<PublishedPort>> PublishAsync(string containerId, IReadOnlyList<PortBinding> bindings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        if (bindings.Count == 0 || await TargetAsync(containerId, cancellationToken).ConfigureAwait(false) is not { } target)
        {
            return [];
        }

        var publisher = ports ?? throw new BerthException(ErrorKind.InvalidArgument, "this berthd cannot publish ports (no port publisher); leave out -p/-P");
        return publisher.Publish(containerId, bindings, target);
    }

    /// <summary>Withdraws what <see cref="PublishAsync"/> published.</summary>
    public void Withdraw(string containerId, IReadOnlyCollection<PublishedPort> published)
    {
        ArgumentNullException.ThrowIfNull(published);
        if (ports is not null && published.Count > 0)
        {
            ports.Withdraw(containerId, published);
        }
    }

    /// <summary>berthd's start: the running containers' published ports held and forwarded again, exactly those.</summary>
    public IReadOnlyList<string> RestorePorts(IReadOnlyDictionary<string, ImmutableArray<PublishedPort>> byContainer) =>
        ports?.Restore(byContainer) ?? [];

    private async Task<PortTarget?> TargetAsync(string containerId, CancellationToken cancellationToken)
    {
        foreach (var endpoint in endpoints.OfContainer(containerId))
        {
            var network = await endpoints.FindNetworkAsync(endpoint.NetworkId.Value, cancellationToken).ConfigureAwait(false);
            if (!endpoints.Drivers.CapabilitiesOf(network).PublishesPorts || network.Config.Internal)
            {
                continue;
            }

            var hostIp = network.Config.Options.TryGetValue(BridgeOptions.HostBindingIpv4, out string? text) && IPAddress.TryParse(text, out var parsed) ? parsed : null;
            return new PortTarget(network.Name, endpoint.IPv4?.Address, endpoint.IPv6?.Address, hostIp);
        }

        return null;
    }
}
