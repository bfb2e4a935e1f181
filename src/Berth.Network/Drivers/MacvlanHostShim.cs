using System.Net;
using System.Net.Sockets;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux;
using Berth.Linux.Addresses;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Routes;
using Berth.Network.Ipam;

namespace Berth.Network.Drivers;

/// <summary>
/// The host's own macvlan on a macvlan network's parent (option <see cref="MacvlanOptions.HostAddress"/>):
/// the kernel never passes frames between a parent and its macvlans, so the host reaches its
/// containers only through a macvlan of its own. The shim (mode bridge, <c>bsh-</c> + 8 characters of
/// the network id) gets the address as /32 (an IPv6 one as /128, without DAD) and a route for the containers'
/// addresses of that family (the ip-range, else the subnet), as the guide's "method A" does by hand. The option
/// is one address, or one IPv4 and one IPv6 address separated by a comma.
/// </summary>
internal sealed class MacvlanHostShim(NetworkNamespace host)
{
    private const int NameIdLength = 8;

    private const string Example = "give the host's address on the LAN, such as 192.168.1.240, or one IPv4 and one IPv6 address such as 192.168.1.240,fd00::240";

    public static string NameFor(NetworkId id) => "bsh-" + id.Value[..NameIdLength];

    /// <summary>The shim's addresses (at most one per family); empty when the network has none (what does not parse, Plan refused).</summary>
    public static IReadOnlyList<IPAddress> AddressesOf(NetworkConfig config) =>
        config.Options.TryGetValue(MacvlanOptions.HostAddress, out string? text)
            ? [.. text.Split(',', StringSplitOptions.TrimEntries).Select(part => IPAddress.TryParse(part, out var address) ? address : null).OfType<IPAddress>()]
            : [];

    /// <summary>Checks that need only the request: one address, or one of each family; a real parent; not passthru.</summary>
    public static void CheckOption(NetworkConfig config, bool hasParent, List<string> problems)
    {
        if (!config.Options.TryGetValue(MacvlanOptions.HostAddress, out string? text))
        {
            return;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var addresses = new List<IPAddress>();
        foreach (string part in parts)
        {
            if (!IPAddress.TryParse(part, out var address) || part.Contains('/', StringComparison.Ordinal)
                || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            {
                problems.Add($"option {MacvlanOptions.HostAddress}=\"{text}\": \"{part}\" is not an IP address; {Example}");
                return;
            }

            addresses.Add(address);
        }

        if (addresses.Count > 2 || addresses.GroupBy(a => a.AddressFamily).Any(g => g.Count() > 1))
        {
            problems.Add($"option {MacvlanOptions.HostAddress}=\"{text}\" gives two addresses of one family; {Example}");
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

    /// <summary>Checks against the network's subnets: each address must be one IPAM would never give a container.</summary>
    public static List<string> Problems(IReadOnlyList<IPAddress> addresses, IReadOnlyCollection<SubnetAllocation> subnets)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var problems = new List<string>();
        foreach (IPAddress address in addresses)
        {
            bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
            var allocation = subnets.FirstOrDefault(s => s.Subnet.BaseAddress.AddressFamily == address.AddressFamily);
            string option = $"option {MacvlanOptions.HostAddress}={address}";
            if (allocation is null)
            {
                problems.Add($"{option} needs an {(v4 ? "IPv4" : "IPv6")} subnet on the network");
                continue;
            }

            var range = allocation.IPRange ?? allocation.Subnet;
            if (address.Equals(allocation.Gateway))
            {
                problems.Add($"{option} is the network's gateway; give the host an address of its own on the LAN");
            }
            else if (allocation.AuxiliaryAddresses.FirstOrDefault(a => a.Value.Equals(address)) is { Key: { } aux })
            {
                problems.Add($"{option} is auxiliary address {aux}; give the host an address of its own");
            }
            else if (address.Equals(allocation.Subnet.BaseAddress) || (v4 && address.Equals(IPNetworkMath.Broadcast(allocation.Subnet))))
            {
                problems.Add($"{option} is the network or broadcast address of {allocation.Subnet}");
            }
            else if (IPNetworkMath.Contains(range, address))
            {
                string fix = allocation.IPRange is null
                    ? "give the network an --ip-range for the containers and the host an address outside it"
                    : $"pick an address of {allocation.Subnet} outside {range}";
                problems.Add($"{option} lies in {range}, where containers get their addresses; {fix}");
            }
        }

        return problems;
    }

    /// <summary>A macvlan network's allocation (either family) with the shim's address in it reserved, so that no container ever gets it.</summary>
    public static SubnetAllocation Reserving(NetworkState network, SubnetAllocation allocation)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(allocation);
        return network.Driver == NetworkDrivers.Macvlan
            && AddressesOf(network.Config).FirstOrDefault(a => IPNetworkMath.Contains(allocation.Subnet, a)) is { } address
            && !allocation.AuxiliaryAddresses.ContainsValue(address)
            ? allocation with { AuxiliaryAddresses = allocation.AuxiliaryAddresses.SetItem(MacvlanOptions.HostAddress, address) }
            : allocation;
    }

    /// <summary>Makes the shim, its addresses and their routes; on failure removes the shim and throws.</summary>
    public void Create(NetworkState network, string parent, string shim, IReadOnlyList<IPAddress> addresses)
    {
        try
        {
            host.Links.Create(new MacvlanSpec(shim, parent, MacvlanMode.Bridge) { Up = true });
            foreach (IPAddress address in addresses)
            {
                AddAddress(shim, address);
                host.Rtnl.Routes.Add(RouteOf(network, shim, address));
            }
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
            // Its addresses and routes go with it.
            host.Links.TryDelete(shim);
        }
        catch (KernelException)
        {
            // best effort: the parent's removal (if Berth made it) takes the shim along
        }
    }

    /// <summary>Re-creates a missing shim, or its addresses or routes; returns what it repaired.</summary>
    public IReadOnlyList<string> Reconcile(NetworkState network, string parent, string shim, IReadOnlyList<IPAddress> addresses)
    {
        var link = host.Links.TryGet(shim);
        if (link is null)
        {
            Create(network, parent, shim, addresses);
            return [$"host shim {shim} re-created"];
        }

        var repaired = new List<string>();
        if (!link.IsUp)
        {
            host.Links.SetUp(shim);
            repaired.Add($"host shim {shim} brought up");
        }

        int index = host.Links.IndexOf(shim);
        foreach (IPAddress address in addresses)
        {
            if (!host.Rtnl.Addresses.List(shim).Any(a => a.Address.Address.Equals(address)))
            {
                AddAddress(shim, address);
                repaired.Add($"address {address} re-added to {shim}");
            }

            var route = RouteOf(network, shim, address);
            if (!host.Rtnl.Routes.List(route.Family).Any(r => r.Destination == route.Destination && r.OutputInterface == index))
            {
                host.Rtnl.Routes.Add(route);
                repaired.Add($"route {route} re-added");
            }
        }

        return repaired;
    }

    /// <summary>The address alone (/32, /128): the containers are reached by the route, not by a prefix on the shim. No DAD: usable at once.</summary>
    private void AddAddress(string shim, IPAddress address)
    {
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        host.Rtnl.Addresses.Add(shim, new IPPrefix(address, IPNetworkMath.Bits(address.AddressFamily)), v4 ? AddressFlags.None : AddressFlags.NoDad);
    }

    private static RouteSpec RouteOf(NetworkState network, string shim, IPAddress address)
    {
        var allocation = network.Subnets.First(s => s.Subnet.BaseAddress.AddressFamily == address.AddressFamily);
        return new RouteSpec { Destination = allocation.IPRange ?? allocation.Subnet, Device = shim, PreferredSource = address };
    }
}
