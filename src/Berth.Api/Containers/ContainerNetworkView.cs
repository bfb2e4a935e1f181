using Berth.Api.Contracts;
using Berth.Core.Errors;
using Berth.Network.Networks;
using Berth.Runtime.Engine;

namespace Berth.Api.Containers;

/// <summary>
/// <c>NetworkSettings.Networks</c> of inspect and ps: a running container's live endpoints; for one
/// that is not running, the networks it is configured for (compose connects containers before it
/// starts them and reads them back), with the request's settings and the operational fields empty.
/// </summary>
internal static class ContainerNetworkView
{
    public static async Task<Dictionary<string, EndpointSettings>> NetworksAsync(IContainerQueries containers, INetworkService networks, ContainerRecord record, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, EndpointSettings>();
        if (record.Status == ContainerStatus.Running)
        {
            foreach (var endpoint in containers.EndpointsOf(record.Id))
            {
                string name;
                try
                {
                    name = (await networks.GetAsync(endpoint.NetworkId.Value, cancellationToken)).Name;
                }
                catch (BerthException e) when (e.Kind == ErrorKind.NotFound && endpoint.ClusterName is not null)
                {
                    // A swarm-scoped network while this node's cluster link is not back (berthd just started, or the
                    // managers are out of reach): the endpoint is real, only the network is not known here yet.
                    name = endpoint.ClusterNetworkName ?? endpoint.NetworkId.Value;
                }

                result[name] = new EndpointSettings
                {
                    NetworkID = endpoint.NetworkId.Value,
                    EndpointID = endpoint.EndpointId,
                    IPAddress = endpoint.IPv4?.Address.ToString() ?? "",
                    IPPrefixLen = endpoint.IPv4?.PrefixLength ?? 0,
                    Gateway = endpoint.Gateway?.ToString() ?? "",
                    GlobalIPv6Address = endpoint.IPv6?.Address.ToString() ?? "",
                    GlobalIPv6PrefixLen = endpoint.IPv6?.PrefixLength ?? 0,
                    IPv6Gateway = endpoint.IPv6Gateway?.ToString() ?? "",
                    MacAddress = endpoint.MacAddress,
                    Aliases = [.. endpoint.Aliases],
                    Links = endpoint.Links.IsEmpty ? null : [.. endpoint.Links.Select(l => l.ToString())],
                    DNSNames = [record.Name, record.ShortId],
                };
            }

            return result;
        }

        foreach (var configured in record.EffectiveEndpoints())
        {
            string name = configured.Network;
            string id = "";
            try
            {
                var network = await networks.GetAsync(configured.Network, cancellationToken);
                (name, id) = (network.Name, network.Id.Value);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
            {
                // Removed since (or never there: Docker accepts such a create and fails at start).
            }

            result[name] = new EndpointSettings
            {
                IPAMConfig = configured.IPv4Address is { Length: > 0 } || configured.IPv6Address is { Length: > 0 }
                    ? new EndpointIpamConfig { IPv4Address = configured.IPv4Address, IPv6Address = configured.IPv6Address }
                    : null,
                Aliases = configured.Aliases.IsEmpty ? null : [.. configured.Aliases],
                Links = configured.Links.IsEmpty ? null : [.. configured.Links],
                MacAddress = configured.MacAddress ?? "",
                NetworkID = id,
                EndpointID = "",
                Gateway = "",
                IPAddress = "",
                IPv6Gateway = "",
                GlobalIPv6Address = "",
            };
        }

        return result;
    }
}
