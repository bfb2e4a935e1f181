using System.Net;
using Berth.Core.Networks;
using Berth.Network.Ipam;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// Picks what a macvlan network needs for a host shim: a range for the containers (its <c>--ip-range</c>, or, when it
/// has none, the half of the subnet its containers are in) and an address for the host outside it that no one has.
/// </summary>
public static class MacvlanShimAddress
{
    /// <summary>How far down from the top of the subnet to look for a free address; a LAN with more taken is beyond a hint.</summary>
    private const int MaxCandidates = 4096;

    /// <summary>The containers' range: the network's ip-range, or the half of the subnet holding every container's address (null when they are in both halves).</summary>
    public static IPNetwork? ContainerRange(SubnetAllocation allocation, IReadOnlyCollection<IPAddress> containerAddresses)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        ArgumentNullException.ThrowIfNull(containerAddresses);
        if (allocation.IPRange is { } range)
        {
            return range;
        }

        var subnet = allocation.Subnet;
        if (subnet.PrefixLength >= IPNetworkMath.Bits(subnet) - 1)
        {
            return null;
        }

        var anchor = containerAddresses.FirstOrDefault() ?? subnet.BaseAddress;
        int half = subnet.PrefixLength + 1;
        var block = new IPNetwork(Mask(anchor, half), half);
        return containerAddresses.All(a => IPNetworkMath.Contains(block, a)) ? block : null;
    }

    /// <summary>
    /// The highest address of the subnet outside <paramref name="containerRange"/> that is not the network or broadcast
    /// address, the gateway, an auxiliary address nor in <paramref name="taken"/> (containers, the host's own, leased).
    /// </summary>
    public static IPAddress? FreeHostAddress(SubnetAllocation allocation, IPNetwork containerRange, IReadOnlySet<IPAddress> taken)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        ArgumentNullException.ThrowIfNull(taken);
        var subnet = allocation.Subnet;
        var first = IPNetworkMath.ToNumber(subnet.BaseAddress);
        var candidate = IPNetworkMath.ToNumber(IPNetworkMath.LastAddress(subnet));
        if (IPNetworkMath.Broadcast(subnet) is not null)
        {
            candidate--;
        }

        for (int tried = 0; tried < MaxCandidates && candidate > first; tried++, candidate--)
        {
            var address = IPNetworkMath.FromNumber(candidate, subnet.BaseAddress.AddressFamily);
            if (!IPNetworkMath.Contains(containerRange, address) && !address.Equals(allocation.Gateway)
                && !allocation.AuxiliaryAddresses.ContainsValue(address) && !taken.Contains(address))
            {
                return address;
            }
        }

        return null;
    }

    private static IPAddress Mask(IPAddress address, int prefixLength)
    {
        int bits = IPNetworkMath.Bits(address.AddressFamily);
        var mask = prefixLength == 0 ? UInt128.Zero : (bits == 32 ? (UInt128)uint.MaxValue : UInt128.MaxValue) << (bits - prefixLength);
        var value = IPNetworkMath.ToNumber(address) & mask;
        return IPNetworkMath.FromNumber(value, address.AddressFamily);
    }
}
