using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Linux.Nftables;

namespace Berth.Network.Firewall;

/// <summary>
/// What the firewall needs to know about one bridge network.
/// </summary>
/// <param name="Bridge">The bridge's interface name (<c>br-0123456789ab</c>).</param>
/// <param name="Subnets">The network's IPv4 and IPv6 subnets.</param>
/// <param name="Masquerade"><c>com.docker.network.bridge.enable_ip_masquerade</c> (default true); ignored for internal networks.</param>
/// <param name="InterContainerCommunication"><c>com.docker.network.bridge.enable_icc</c> (default true).</param>
/// <param name="Internal"><c>--internal</c>: nothing is routed into or out of the network.</param>
public sealed record BridgeRules(
    string Bridge,
    ImmutableArray<IPNetwork> Subnets,
    bool Masquerade = true,
    bool InterContainerCommunication = true,
    bool Internal = false)
{
    /// <summary>The subnets, never default.</summary>
    public ImmutableArray<IPNetwork> Subnets { get; init; } = Subnets.IsDefault ? [] : Subnets;

    /// <summary>Masquerade is on and the network is not internal.</summary>
    public bool MasqueradeEffective => Masquerade && !Internal;

    public IEnumerable<IPNetwork> IPv4Subnets => Subnets.Where(s => s.BaseAddress.AddressFamily == AddressFamily.InterNetwork);

    public IEnumerable<IPNetwork> IPv6Subnets => Subnets.Where(s => s.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6);

    /// <summary>Every problem with these rules, together; nothing when they can be applied.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!NftInterfaceName.IsValid(Bridge))
        {
            problems.Add($"bridge name \"{Bridge}\" is not a valid interface name; use 1 to {NftInterfaceName.MaxLength} characters without quotes, spaces, '/' or ':'");
        }

        foreach (var subnet in Subnets)
        {
            if (subnet.BaseAddress.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            {
                problems.Add($"subnet {subnet} is neither IPv4 nor IPv6");
            }
        }

        foreach (var duplicate in Subnets.GroupBy(s => s).Where(g => g.Count() > 1))
        {
            problems.Add($"subnet {duplicate.Key} is listed twice");
        }

        return problems;
    }

    /// <summary>Throws InvalidArgument naming the bridge and every problem, if there is any.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"firewall rules for bridge \"{Bridge}\" are not valid: {string.Join("; ", problems)}");
        }
    }

    public bool Equals(BridgeRules? other) =>
        other is not null && Bridge == other.Bridge && Subnets.SequenceEqual(other.Subnets) && Masquerade == other.Masquerade
        && InterContainerCommunication == other.InterContainerCommunication && Internal == other.Internal;

    public override int GetHashCode() => HashCode.Combine(Bridge, Subnets.Length, Masquerade, InterContainerCommunication, Internal);

    public override string ToString() =>
        $"bridge \"{Bridge}\" ({string.Join(", ", Subnets)}; masquerade={MasqueradeEffective}, icc={InterContainerCommunication}, internal={Internal})";
}
