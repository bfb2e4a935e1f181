using System.Net;
using System.Net.Sockets;
using Berth.Core.Networks;

namespace Berth.Network.Ipam;

// Picking a subnet from the default address pools.
public sealed partial class NetworkIpam
{
    private SubnetAllocation? PickPool(bool isIPv4, List<IPNetwork> avoid)
    {
        foreach (var pool in Pools.Where(p => p.IsIPv4 == isIPv4))
        {
            if (FirstFree(pool, avoid) is { } subnet)
            {
                return new SubnetAllocation { Subnet = subnet, Requested = false };
            }
        }

        return null;
    }

    /// <summary>
    /// The lowest subnet of the pool's size that overlaps nothing in <paramref name="avoid"/>. A
    /// collision skips straight past the end of the colliding network, so a large IPv6 pool with
    /// few networks costs a handful of steps, not 2^n.
    /// </summary>
    internal static IPNetwork? FirstFree(DefaultAddressPool pool, IReadOnlyList<IPNetwork> avoid)
    {
        AddressFamily family = pool.Base.BaseAddress.AddressFamily;
        int hostBits = IPNetworkMath.Bits(family) - pool.Size;
        UInt128 blockMask = hostBits >= IPNetworkMath.IPv6Bits ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        UInt128 poolLast = IPNetworkMath.ToNumber(pool.Base.BaseAddress) + IPNetworkMath.HostMask(pool.Base);
        UInt128 candidate = IPNetworkMath.ToNumber(pool.Base.BaseAddress);
        var relevant = avoid.Where(a => a.BaseAddress.AddressFamily == family).ToList();
        while (true)
        {
            var subnet = new IPNetwork(IPNetworkMath.FromNumber(candidate, family), pool.Size);
            UInt128? blockedUntil = null;
            foreach (var other in relevant)
            {
                if (IPNetworkMath.Overlaps(subnet, other))
                {
                    UInt128 otherLast = IPNetworkMath.ToNumber(other.BaseAddress) + IPNetworkMath.HostMask(other);
                    blockedUntil = blockedUntil is { } b && b > otherLast ? b : otherLast;
                }
            }

            if (blockedUntil is not { } until)
            {
                return subnet;
            }

            // The candidate block holding the colliding network's last address is taken too.
            UInt128 blockEnd = until | blockMask;
            if (blockEnd >= poolLast)
            {
                return null;
            }

            candidate = blockEnd + 1;
        }
    }
}
