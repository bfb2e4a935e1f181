using System.Net;
using Berth.Network.Ipam;

namespace Berth.Diagnostics.Doctor.Dhcp;

/// <summary>Where a container's static address on a LAN meets a DHCP server's leases.</summary>
public static class DhcpOverlap
{
    /// <summary>The lease of <paramref name="address"/> to another MAC than the container's, or null.</summary>
    public static DhcpLease? LeasedToOther(IPAddress address, string mac, IReadOnlyList<DhcpLease> leases)
    {
        ArgumentNullException.ThrowIfNull(leases);
        return leases.FirstOrDefault(l => l.Address.Equals(address) && !string.Equals(l.Mac, mac, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The lowest and highest leased addresses inside <paramref name="subnet"/> (the pool, as far as it can be seen); null when none lies in it.</summary>
    public static (IPAddress First, IPAddress Last)? LeasedSpan(IPNetwork subnet, IReadOnlyList<DhcpLease> leases)
    {
        ArgumentNullException.ThrowIfNull(leases);
        var inside = leases.Select(l => l.Address).Where(a => IPNetworkMath.Contains(subnet, a)).OrderBy(IPNetworkMath.ToNumber).ToList();
        return inside.Count == 0 ? null : (inside[0], inside[^1]);
    }

    public static bool Within((IPAddress First, IPAddress Last) span, IPAddress address)
    {
        var number = IPNetworkMath.ToNumber(address);
        return address.AddressFamily == span.First.AddressFamily && number >= IPNetworkMath.ToNumber(span.First) && number <= IPNetworkMath.ToNumber(span.Last);
    }
}
