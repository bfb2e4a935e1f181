using System.Net;
using System.Net.Sockets;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Routes;
using Berth.Network.Ipam;

namespace Berth.Network.Drivers;

/// <summary>
/// The host's own macvlan on a macvlan network's parent (option <see cref="MacvlanOptions.HostAddress"/>):
/// the kernel never passes frames between a parent and its macvlans, so the host reaches its
/// containers only through a macvlan of its own. The shim (mode bridge, <c>bsh-</c> + 8 characters of
/// the network id) gets the address as /32 and a route for the containers' addresses (the ip-range,
/// else the subnet), as the guide's "method A" does by hand.
/// </summary>
internal sealed class MacvlanHostShim(NetworkNamespace host)
{
    private const int NameIdLength = 8;

    public static string NameFor(NetworkId id) => "bsh-" + id.Value[..NameIdLength];

    /// <summary>The shim's address, or null when the network has none (or it does not parse; Plan refused that).</summary>
    public static IPAddress? AddressOf(NetworkConfig config) =>
        config.Options.TryGetValue(MacvlanOptions.HostAddress, out string? text) && IPAddress.TryParse(text, out var address)
            && address.AddressFamily == AddressFamily.InterNetwork ? address : null;

    /// <summary>Checks that need only the request: an IPv4 address, a real parent, not passthru.</summary>
    public static void CheckOption(NetworkConfig config, bool hasParent, List<string> problems)
    {
        if (!config.Options.TryGetValue(MacvlanOptions.HostAddress, out string? text))
        {
            return;
        }

        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork || text.Contains('/', StringComparison.Ordinal))
        {
            problems.Add($"option {MacvlanOptions.HostAddress}=\"{text}\" is not an IPv4 address; give the host's address on the LAN, such as 192.168.1.240");
            return;
        }

        if (!hasParent)
        {
            problems.Add($"option {MacvlanOptions.HostAddress} needs a parent interface (-o parent=eth0): the host shim sits on the parent");
        }

        if (MacvlanDriver.ModeOf(config) == MacvlanMode.Passthru)
        {
            problems.Add($"option {MacvlanOptions.HostAddress} does not work with macvlan_mode passthru: the parent takes only one macvlan; use mode bridge");
        }
    }

    /// <summary>Checks against the network's subnets: the address must be one IPAM would never give a container.</summary>
    public static List<string> Problems(IPAddress address, IReadOnlyCollection<SubnetAllocation> subnets)
    {
        var problems = new List<string>();
        var v4 = subnets.FirstOrDefault(s => IPNetworkMath.IsIPv4(s.Subnet));
        string option = $"option {MacvlanOptions.HostAddress}={address}";
        if (v4 is null)
        {
            problems.Add($"{option} needs an IPv4 subnet on the network");
            return problems;
        }

        var range = v4.IPRange ?? v4.Subnet;
        if (address.Equals(v4.Gateway))
        {
            problems.Add($"{option} is the network's gateway; give the host an address of its own on the LAN");
        }
        else if (v4.AuxiliaryAddresses.FirstOrDefault(a => a.Value.Equals(address)) is { Key: { } aux })
        {
            problems.Add($"{option} is auxiliary address {aux}; give the host an address of its own");
        }
        else if (address.Equals(v4.Subnet.BaseAddress) || address.Equals(IPNetworkMath.Broadcast(v4.Subnet)))
        {
            problems.Add($"{option} is the network or broadcast address of {v4.Subnet}");
        }
        else if (IPNetworkMath.Contains(range, address))
        {
            string fix = v4.IPRange is null
                ? "give the network an --ip-range for the containers and the host an address outside it"
                : $"pick an address of {v4.Subnet} outside {range}";
            problems.Add($"{option} lies in {range}, where containers get their addresses; {fix}");
        }

        return problems;
    }

    /// <summary>The network's IPv4 allocation with the shim address reserved, so that no container ever gets it.</summary>
    public static SubnetAllocation Reserving(NetworkState network, SubnetAllocation allocation) =>
        network.Driver == NetworkDrivers.Macvlan && AddressOf(network.Config) is { } address
            && IPNetworkMath.Contains(allocation.Subnet, address) && !allocation.AuxiliaryAddresses.ContainsValue(address)
            ? allocation with { AuxiliaryAddresses = allocation.AuxiliaryAddresses.SetItem(MacvlanOptions.HostAddress, address) }
            : allocation;

    /// <summary>Makes the shim, its address and its route; on failure removes the shim and throws.</summary>
    public void Create(NetworkState network, string parent, string shim, IPAddress address)
    {
        try
        {
            host.Links.Create(new MacvlanSpec(shim, parent, MacvlanMode.Bridge) { Up = true });
            host.Rtnl.Addresses.Add(shim, new IPPrefix(address, 32));
            host.Rtnl.Routes.Add(RouteOf(network, shim, address));
        }
        catch (BerthException)
        {
            TryDelete(shim);
            throw;
        }
    }

    public void TryDelete(string shim)
    {
        try
        {
            // Its address and route go with it.
            host.Links.TryDelete(shim);
        }
        catch (KernelException)
        {
            // best effort: the parent's removal (if Berth made it) takes the shim along
        }
    }

    /// <summary>Re-creates a missing shim, or its address or route; returns what it repaired.</summary>
    public IReadOnlyList<string> Reconcile(NetworkState network, string parent, string shim, IPAddress address)
    {
        var link = host.Links.TryGet(shim);
        if (link is null)
        {
            Create(network, parent, shim, address);
            return [$"host shim {shim} re-created"];
        }

        var repaired = new List<string>();
        if (!link.IsUp)
        {
            host.Links.SetUp(shim);
            repaired.Add($"host shim {shim} brought up");
        }

        if (!host.Rtnl.Addresses.List(shim).Any(a => a.Address.Address.Equals(address)))
        {
            host.Rtnl.Addresses.Add(shim, new IPPrefix(address, 32));
            repaired.Add($"address {address} re-added to {shim}");
        }

        var route = RouteOf(network, shim, address);
        int index = host.Links.IndexOf(shim);
        if (!host.Rtnl.Routes.List().Any(r => r.Destination == route.Destination && r.OutputInterface == index))
        {
            host.Rtnl.Routes.Add(route);
            repaired.Add($"route {route} re-added");
        }

        return repaired;
    }

    private static RouteSpec RouteOf(NetworkState network, string shim, IPAddress address)
    {
        var v4 = network.Subnets.First(s => IPNetworkMath.IsIPv4(s.Subnet));
        return new RouteSpec { Destination = v4.IPRange ?? v4.Subnet, Device = shim, PreferredSource = address };
    }
}
