using System.Collections.Immutable;
using System.Net;

namespace Berth.Core.Networks;

/// <summary>One subnet of a network as IPAM settled it: requested or picked from a default pool.</summary>
public sealed record SubnetAllocation
{
    public required IPNetwork Subnet { get; init; }

    /// <summary>The gateway: requested, or the first host address picked by IPAM; null where the driver has none (an internal macvlan may).</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>Where container addresses come from (<c>--ip-range</c>); null means the whole subnet.</summary>
    public IPNetwork? IPRange { get; init; }

    /// <summary>Addresses never handed out, by name.</summary>
    public ImmutableDictionary<string, IPAddress> AuxiliaryAddresses { get; init; } = ImmutableDictionary<string, IPAddress>.Empty;

    /// <summary>True when the user asked for this subnet (so it is echoed with the request's text); false for a default pool.</summary>
    public bool Requested { get; init; }
}
