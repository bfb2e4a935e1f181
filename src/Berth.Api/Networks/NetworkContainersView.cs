using Berth.Api.Contracts;
using Berth.Core.Networks;
using Berth.Runtime.Engine;

namespace Berth.Api.Networks;

/// <summary>Network inspect's <c>Containers</c>: the running containers' endpoints, by full container id, addresses with their prefix length.</summary>
internal static class NetworkContainersView
{
    public static Dictionary<string, NetworkContainer> Of(IContainerQueries containers, NetworkState network)
    {
        var result = new Dictionary<string, NetworkContainer>(StringComparer.Ordinal);
        foreach (var (container, endpoint) in containers.EndpointsOn(network.Id).OrderBy(e => e.Container.Id.Value, StringComparer.Ordinal))
        {
            result[container.Id.Value] = new NetworkContainer
            {
                Name = container.Name,
                EndpointID = endpoint.EndpointId,
                MacAddress = endpoint.MacAddress,
                IPv4Address = endpoint.IPv4?.ToString() ?? "",
                IPv6Address = endpoint.IPv6?.ToString() ?? "",
            };
        }

        return result;
    }
}
