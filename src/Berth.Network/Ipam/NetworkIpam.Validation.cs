using System.Collections.Immutable;
using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;

namespace Berth.Network.Ipam;

// Validation of the requested IPAM.Config entries. Wording follows moby's ValidateIPAM
// ("invalid subnet X: it should be Y", "invalid ip-range X: it should be within its parent subnet Y").
public sealed partial class NetworkIpam
{
    private static List<SubnetAllocation> ValidateRequests(ImmutableArray<IpamPoolRequest> entries, IpamProblems problems)
    {
        var valid = new List<SubnetAllocation>();
        foreach (var entry in entries.IsDefault ? [] : entries)
        {
            if (entry is null)
            {
                continue;
            }

            var aux = (entry.AuxiliaryAddresses ?? ImmutableDictionary<string, string>.Empty)
                .OrderBy(a => a.Key, StringComparer.Ordinal)
                .ToList();
            if (string.IsNullOrEmpty(entry.Subnet))
            {
                // An entry with nothing in it (docker-py sends nulls) asks for nothing: a pool is picked.
                ReportWithoutSubnet(entry, aux, problems);
                continue;
            }

            if (ValidateEntry(entry, aux, problems) is { } allocation)
            {
                valid.Add(allocation);
            }
        }

        return valid;
    }

    private static void ReportWithoutSubnet(IpamPoolRequest entry, List<KeyValuePair<string, string>> aux, IpamProblems problems)
    {
        if (!string.IsNullOrEmpty(entry.IPRange))
        {
            problems.Add(ErrorKind.InvalidArgument, $"ip-range {entry.IPRange} given without a --subnet; add the --subnet it belongs to");
        }

        if (!string.IsNullOrEmpty(entry.Gateway))
        {
            problems.Add(ErrorKind.InvalidArgument, $"gateway {entry.Gateway} given without a --subnet; add the --subnet it belongs to");
        }

        foreach (var (name, address) in aux)
        {
            problems.Add(ErrorKind.InvalidArgument, $"auxiliary address {name}={address} given without a --subnet; add the --subnet it belongs to");
        }
    }

    private static SubnetAllocation? ValidateEntry(IpamPoolRequest entry, List<KeyValuePair<string, string>> aux, IpamProblems problems)
    {
        int before = problems.Count;
        if (!IPNetworkMath.TryParseCidr(entry.Subnet, out var subnet, out bool hostBitsSet))
        {
            problems.Add(ErrorKind.InvalidArgument, $"invalid subnet {entry.Subnet}: invalid CIDR block notation; use e.g. 10.1.0.0/16");
            return null;
        }

        if (hostBitsSet)
        {
            problems.Add(ErrorKind.InvalidArgument, $"invalid subnet {entry.Subnet}: it should be {subnet}");
        }

        IPNetwork? range = null;
        if (!string.IsNullOrEmpty(entry.IPRange))
        {
            range = ValidateRange(entry.IPRange, subnet, problems);
        }

        IPAddress? gateway = null;
        if (!string.IsNullOrEmpty(entry.Gateway))
        {
            gateway = ValidateAddress($"invalid gateway {entry.Gateway}", entry.Gateway, subnet, problems);
            if (gateway is not null && IPNetworkMath.IsIPv4(subnet))
            {
                if (gateway.Equals(subnet.BaseAddress) && subnet.PrefixLength <= IPNetworkMath.IPv4MaxPrefixWithBroadcast)
                {
                    problems.Add(ErrorKind.InvalidArgument,
                        $"invalid gateway {entry.Gateway}: it is the network address of subnet {subnet}; use a host address such as {IPNetworkMath.FirstHostAddress(subnet)}");
                }
                else if (gateway.Equals(IPNetworkMath.Broadcast(subnet)))
                {
                    problems.Add(ErrorKind.InvalidArgument,
                        $"invalid gateway {entry.Gateway}: it is the broadcast address of subnet {subnet}; use a host address such as {IPNetworkMath.FirstHostAddress(subnet)}");
                }
            }
        }

        var auxAddresses = ImmutableDictionary.CreateBuilder<string, IPAddress>(StringComparer.Ordinal);
        var auxOwners = new Dictionary<IPAddress, string>();
        foreach (var (name, text) in aux)
        {
            string what = $"invalid auxiliary address {name}={text}";
            if (string.IsNullOrEmpty(name))
            {
                problems.Add(ErrorKind.InvalidArgument, $"{what}: it has no name; use --aux-address name=address");
            }

            var address = ValidateAddress(what, text, subnet, problems);
            if (address is null)
            {
                continue;
            }

            if (address.Equals(gateway))
            {
                problems.Add(ErrorKind.InvalidArgument, $"{what}: it is the gateway; choose another address");
            }
            else if (auxOwners.TryGetValue(address, out string? owner))
            {
                problems.Add(ErrorKind.InvalidArgument, $"{what}: it is also auxiliary address {owner}; give each its own address");
            }
            else
            {
                auxOwners[address] = name;
                auxAddresses[name] = address;
            }
        }

        if (problems.Count != before)
        {
            return null;
        }

        return new SubnetAllocation
        {
            Subnet = subnet,
            IPRange = range,
            Gateway = gateway,
            AuxiliaryAddresses = auxAddresses.ToImmutable(),
            Requested = true,
        };
    }

    private static IPNetwork? ValidateRange(string text, IPNetwork subnet, IpamProblems problems)
    {
        string what = $"invalid ip-range {text}";
        if (!IPNetworkMath.TryParseCidr(text, out var range, out bool hostBitsSet))
        {
            problems.Add(ErrorKind.InvalidArgument, $"{what}: invalid CIDR block notation; use e.g. 10.1.5.0/24");
            return null;
        }

        if (hostBitsSet)
        {
            problems.Add(ErrorKind.InvalidArgument, $"{what}: it should be {range}");
            return null;
        }

        if (range.BaseAddress.AddressFamily != subnet.BaseAddress.AddressFamily)
        {
            problems.Add(ErrorKind.InvalidArgument, $"{what}: parent subnet is an {FamilyName(subnet)} block");
            return null;
        }

        if (!IPNetworkMath.Contains(subnet, range))
        {
            problems.Add(ErrorKind.InvalidArgument, $"{what}: it should be within its parent subnet {subnet}");
            return null;
        }

        return range;
    }

    private static IPAddress? ValidateAddress(string what, string text, IPNetwork subnet, IpamProblems problems)
    {
        if (!IPNetworkMath.TryParseAddress(text, out var address))
        {
            problems.Add(ErrorKind.InvalidArgument, $"{what}: invalid address; use e.g. {IPNetworkMath.FirstHostAddress(subnet) ?? subnet.BaseAddress}");
            return null;
        }

        if (address.AddressFamily != subnet.BaseAddress.AddressFamily)
        {
            problems.Add(ErrorKind.InvalidArgument, $"{what}: parent subnet is an {FamilyName(subnet)} block");
            return null;
        }

        if (!subnet.Contains(address))
        {
            problems.Add(ErrorKind.InvalidArgument, $"{what}: it should be within its parent subnet {subnet}");
            return null;
        }

        return address;
    }

    private static void CheckOverlapsWithinRequest(List<SubnetAllocation> requested, IpamProblems problems)
    {
        for (int i = 0; i < requested.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (IPNetworkMath.Overlaps(requested[i].Subnet, requested[j].Subnet))
                {
                    problems.Add(ErrorKind.InvalidArgument,
                        $"subnet {requested[i].Subnet} overlaps subnet {requested[j].Subnet} of the same network; give each --subnet its own range");
                }
            }
        }
    }

    private static void CheckOverlapsWithExisting(
        List<SubnetAllocation> requested, List<(NetworkState Network, IPNetwork Subnet)> taken, IpamProblems problems)
    {
        foreach (var allocation in requested)
        {
            foreach (var (network, subnet) in taken)
            {
                if (IPNetworkMath.Overlaps(allocation.Subnet, subnet))
                {
                    problems.Add(ErrorKind.Forbidden,
                        $"subnet {allocation.Subnet} overlaps network \"{network.Name}\" ({subnet}); choose another --subnet");
                }
            }
        }
    }

    private static string FamilyName(IPNetwork subnet) => IPNetworkMath.IsIPv4(subnet) ? "IPv4" : "IPv6";
}
