using System.Collections.Immutable;
using System.Net;
using Berth.Core.Networks;
using Berth.Network.Drivers;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// The commands that re-create a network as it is but for what a fix changes (another subnet, a host shim address):
/// <c>berth network rm N &amp;&amp; berth network create -d DRIVER --subnet … -o … N</c>. A network's containers must be
/// disconnected first; <c>berth network rm</c> says so when they are not.
/// </summary>
public static class NetworkRecreateCommand
{
    /// <param name="network">The network as it is.</param>
    /// <param name="subnets">Its subnets as they should be (the current ones, or changed ones).</param>
    /// <param name="options">Driver options to set or replace (e.g. <c>parent</c>); the rest are kept.</param>
    /// <param name="hostAddress">A macvlan host shim's address (<c>--host-address</c>), or null for none.</param>
    public static string Build(NetworkState network, IReadOnlyList<SubnetAllocation> subnets, IReadOnlyDictionary<string, string>? options = null, IPAddress? hostAddress = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(subnets);
        var words = new List<string> { "berth", "network", "create", "-d", string.IsNullOrEmpty(network.Driver) ? NetworkDrivers.Bridge : network.Driver };
        if (network.Config.Internal)
        {
            words.Add("--internal");
        }

        if (network.Config.Attachable)
        {
            words.Add("--attachable");
        }

        if (network.Config.EnableIPv6)
        {
            words.Add("--ipv6");
        }

        foreach (var allocation in subnets)
        {
            words.AddRange(["--subnet", allocation.Subnet.ToString()]);
            if (allocation.Gateway is { } gateway)
            {
                words.AddRange(["--gateway", gateway.ToString()]);
            }

            if (allocation.IPRange is { } range)
            {
                words.AddRange(["--ip-range", range.ToString()]);
            }
        }

        var merged = network.Config.Options.Remove(MacvlanOptions.HostAddress).SetItems(options ?? ImmutableDictionary<string, string>.Empty);
        foreach (var (key, value) in merged.OrderBy(o => o.Key == MacvlanOptions.Parent ? "" : o.Key, StringComparer.Ordinal))
        {
            words.AddRange(["-o", $"{key}={value}"]);
        }

        if (hostAddress is not null)
        {
            words.AddRange(["--host-address", hostAddress.ToString()]);
        }

        words.Add(network.Name);
        return $"berth network rm {network.Name} && {string.Join(' ', words)}";
    }
}
