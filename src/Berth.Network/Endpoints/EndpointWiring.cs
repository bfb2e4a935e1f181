using System.Net.NetworkInformation;
using Berth.Linux.Addresses;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Routes;

namespace Berth.Network.Endpoints;

/// <summary>The container side common to all drivers: lo and the interface up, addresses, default routes, in one pipelined sendmsg.</summary>
internal static class EndpointWiring
{
    public static void Configure(NetworkNamespace container, EndpointState endpoint)
    {
        int index = container.Links.Get(endpoint.InterfaceName).Index;
        var pipeline = container.Rtnl.Pipeline().SetUp("lo").SetUp(index);
        if (endpoint.IPv4 is { } v4)
        {
            pipeline.AddAddress(index, v4);
        }

        if (endpoint.IPv6 is { } v6)
        {
            pipeline.AddAddress(index, v6, AddressFlags.NoDad);
        }

        if (endpoint.DefaultRoute && endpoint.Gateway is not null)
        {
            pipeline.AddRoute(RouteSpec.DefaultVia(endpoint.Gateway, LinkRef.ByIndex(index)));
        }

        if (endpoint.DefaultRoute && endpoint.IPv6Gateway is not null)
        {
            pipeline.AddRoute(RouteSpec.DefaultVia(endpoint.IPv6Gateway, LinkRef.ByIndex(index)));
        }

        pipeline.Execute();
    }

    public static PhysicalAddress Mac(EndpointState endpoint) => PhysicalAddress.Parse(endpoint.MacAddress.Replace(':', '-'));
}
