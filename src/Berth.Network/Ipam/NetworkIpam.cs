using System.Collections.Immutable;
using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;

namespace Berth.Network.Ipam;

/// <summary>
/// Docker's <c>default</c> IPAM driver for local networks: validates a network's <c>IPAM.Config</c>,
/// refuses subnets that overlap other networks, and picks subnets from the default address pools
/// where none was asked for. Pure logic: the caller passes the existing networks and the host's
/// routes and addresses, and persists what comes back. See README.md for the rules.
/// </summary>
public sealed partial class NetworkIpam
{
    public NetworkIpam()
        : this(DefaultAddressPool.DockerDefaults)
    {
    }

    public NetworkIpam(IEnumerable<DefaultAddressPool> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        Pools = [.. pools];
        foreach (var pool in Pools)
        {
            ArgumentNullException.ThrowIfNull(pool, nameof(pools));
        }
    }

    /// <summary>The default address pools, in the order they are tried.</summary>
    public ImmutableArray<DefaultAddressPool> Pools { get; }

    /// <summary>
    /// Settles the subnets of the network <paramref name="config"/> describes. Returns the requested
    /// subnets in request order, with a picked IPv4 pool first when none was requested (and a picked
    /// IPv6 pool last when IPv6 is enabled, none was requested and IPv6 pools are configured).
    /// Every problem is reported at once: InvalidArgument for a malformed request, Forbidden for a
    /// subnet overlapping another network or no free IPv4 pool, NotFound for no IPv6 pool.
    /// </summary>
    /// <param name="existing">Every other network; their subnets are taken (config-only networks hold none).</param>
    /// <param name="hostNetworks">The host's routes and interface subnets: picked pools avoid them, requested subnets may overlap them.</param>
    /// <param name="gatewayRequired">Whether a subnet without a requested gateway gets its first host address as gateway.</param>
    public ImmutableArray<SubnetAllocation> Allocate(
        NetworkConfig config,
        IReadOnlyCollection<NetworkState> existing,
        IReadOnlyCollection<IPNetwork> hostNetworks,
        bool gatewayRequired = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(hostNetworks);

        var problems = new IpamProblems(config.Name);
        string driver = config.Ipam.Driver;
        if (!string.IsNullOrEmpty(driver) && driver != IpamRequest.DefaultDriver)
        {
            problems.Add(ErrorKind.InvalidArgument,
                $"IPAM driver \"{driver}\" is not supported; leave --ipam-driver out or use \"{IpamRequest.DefaultDriver}\"");
        }

        var requested = ValidateRequests(config.Ipam.Config, problems);
        CheckOverlapsWithinRequest(requested, problems);

        var taken = existing
            .Where(n => !n.Config.ConfigOnly)
            .SelectMany(n => n.Subnets.Select(s => (Network: n, s.Subnet)))
            .ToList();
        CheckOverlapsWithExisting(requested, taken, problems);

        // Picked pools avoid other networks, the host's routes and addresses (a default route /0
        // is not a collision: Docker skips routes without a destination too) and this request.
        var avoid = taken.Select(t => t.Subnet)
            .Concat(hostNetworks.Where(h => h.PrefixLength > 0))
            .Concat(requested.Select(r => r.Subnet))
            .ToList();

        SubnetAllocation? pickedV4 = null;
        if (!requested.Any(r => IPNetworkMath.IsIPv4(r.Subnet)))
        {
            pickedV4 = PickPool(isIPv4: true, avoid);
            if (pickedV4 is null)
            {
                problems.Add(ErrorKind.Forbidden,
                    "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network; remove unused networks or give a --subnet");
            }
        }

        SubnetAllocation? pickedV6 = null;
        if (config.EnableIPv6 && requested.All(r => IPNetworkMath.IsIPv4(r.Subnet)))
        {
            pickedV6 = PickPool(isIPv4: false, avoid);
            if (pickedV6 is null)
            {
                problems.Add(ErrorKind.NotFound,
                    "could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network; give an IPv6 --subnet");
            }
        }

        var all = new List<SubnetAllocation>(requested.Count + 2);
        if (pickedV4 is not null)
        {
            all.Add(pickedV4);
        }

        all.AddRange(requested);
        if (pickedV6 is not null)
        {
            all.Add(pickedV6);
        }

        var settled = all.Select(a => WithDefaultGateway(a, gatewayRequired, problems)).ToImmutableArray();
        problems.ThrowIfAny();
        return settled;
    }

    private static SubnetAllocation WithDefaultGateway(SubnetAllocation allocation, bool gatewayRequired, IpamProblems problems)
    {
        if (allocation.Gateway is not null || !gatewayRequired)
        {
            return allocation;
        }

        // The first host address not already named as an auxiliary address; Docker would fail
        // with "Address already in use" when an aux address takes x.x.x.1, picking the next is kinder.
        var reserved = allocation.AuxiliaryAddresses.Values.ToHashSet();
        var broadcast = IPNetworkMath.Broadcast(allocation.Subnet);
        var candidate = IPNetworkMath.FirstHostAddress(allocation.Subnet);
        const int MaxAuxSkips = 64;
        for (int i = 0; candidate is not null && i < MaxAuxSkips; i++)
        {
            if (!IPNetworkMath.Contains(allocation.Subnet, candidate) || candidate.Equals(broadcast))
            {
                break;
            }

            if (!reserved.Contains(candidate))
            {
                return allocation with { Gateway = candidate };
            }

            candidate = IPNetworkMath.Add(candidate, UInt128.One);
        }

        problems.Add(ErrorKind.InvalidArgument,
            $"subnet {allocation.Subnet} has no address left for a gateway; use a larger --subnet or give --gateway");
        return allocation;
    }
}
