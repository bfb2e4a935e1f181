using Berth.Api.Contracts;
using Berth.Api.Http;
using Berth.Core.Networks;

namespace Berth.Api.Networks;

/// <summary>
/// <see cref="NetworkState"/> → Docker's <c>Network</c>. Options, Labels and IPAM.Options are echoed as
/// requested (IPAM.Options null stays null); IPAM.Config has one entry per allocated subnet with empty keys
/// left out, map keys sorted as Go writes them. A requested subnet is shown with the client's own text, paired with the request's entries
/// that name a subnet, in order; picked subnets (and what the request left out) are formatted from the allocation.
/// </summary>
internal static class NetworkResponseMapper
{
    public static Contracts.Network ToNetwork(NetworkState state)
    {
        NetworkConfig config = state.Config;
        return new Contracts.Network
        {
            Name = config.Name,
            Id = state.Id.Value,
            Created = Rfc3339.FormatNano(state.Created),
            Scope = config.Scope,
            Driver = config.Driver,
            EnableIPv6 = config.EnableIPv6,
            Ipam = new Ipam
            {
                Driver = config.Ipam.Driver,
                Options = config.Ipam.Options is { } ipamOptions ? Sorted(ipamOptions) : null,
                Config = ToIpamConfig(state),
            },
            Internal = config.Internal,
            Attachable = config.Attachable,
            Ingress = config.Ingress,
            ConfigOnly = config.ConfigOnly,
            ConfigFrom = new ConfigReference { Network = config.ConfigFrom ?? "" },
            Containers = [],
            Options = Sorted(config.Options),
            Labels = Sorted(config.Labels),
        };
    }

    private static List<IpamConfig> ToIpamConfig(NetworkState state)
    {
        var requested = state.Config.Ipam.Config.Where(pool => pool.Subnet is not null).ToList();
        int nextRequested = 0;
        var result = new List<IpamConfig>(state.Subnets.Length);
        foreach (SubnetAllocation allocation in state.Subnets)
        {
            IpamPoolRequest? asked = allocation.Requested && nextRequested < requested.Count ? requested[nextRequested++] : null;
            result.Add(new IpamConfig
            {
                Subnet = asked?.Subnet ?? allocation.Subnet.ToString(),
                IPRange = asked?.IPRange ?? allocation.IPRange?.ToString(),
                Gateway = asked?.Gateway ?? allocation.Gateway?.ToString(),
                AuxiliaryAddresses = asked?.AuxiliaryAddresses is { Count: > 0 } aux
                    ? Sorted(aux)
                    : allocation.AuxiliaryAddresses.IsEmpty
                        ? null
                        : Sorted(allocation.AuxiliaryAddresses.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal)),
            });
        }

        return result;
    }

    /// <summary>
    /// Go's encoding/json writes map keys sorted bytewise, so Docker's replies list them so; a
    /// <see cref="Dictionary{TKey,TValue}"/> filled in order and never removed from enumerates in that order.
    /// </summary>
    private static Dictionary<string, string> Sorted(IEnumerable<KeyValuePair<string, string>> values)
    {
        var sorted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            sorted.Add(pair.Key, pair.Value);
        }

        return sorted;
    }
}
