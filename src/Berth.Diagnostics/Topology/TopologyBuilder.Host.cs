using System.Collections.Immutable;
using Berth.Linux.Links;

namespace Berth.Diagnostics.Topology;

public sealed partial class TopologyBuilder
{
    /// <summary>
    /// The host's interfaces the picture hangs from: those its default routes leave through (the LAN), the macvlan
    /// parents and the bridges, in that order. One the networks name that the kernel does not have is shown as missing.
    /// </summary>
    private ImmutableArray<TopologyInterface> HostInterfaces(IReadOnlyList<TopologyNetwork> networks)
    {
        var rtnl = sources.Host.Rtnl;
        var links = rtnl.Links.List();
        var byIndex = links.ToDictionary(l => l.Index);
        var wanted = new List<(string Name, string Role)>();
        foreach (var family in new[] { System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.AddressFamily.InterNetworkV6 })
        {
            foreach (var route in rtnl.Routes.List(family).Where(r => r.Destination is null && r.OutputInterface is not null))
            {
                if (byIndex.TryGetValue(route.OutputInterface!.Value, out var link))
                {
                    wanted.Add((link.Name, TopologyRoles.DefaultRoute));
                }
            }
        }

        wanted.AddRange(networks.Where(n => n.Parent is not null).Select(n => (n.Parent!, TopologyRoles.Parent)));
        wanted.AddRange(networks.Where(n => n.Bridge is not null).Select(n => (n.Bridge!, TopologyRoles.Bridge)));

        // Link-local addresses (fe80::/64 on every link) say nothing about where an interface leads.
        var addresses = rtnl.Addresses.List().Where(a => a.Scope != Linux.Addresses.AddressScope.Link).ToLookup(a => a.LinkIndex);
        var result = new List<TopologyInterface>();
        foreach (var group in wanted.GroupBy(w => w.Name, StringComparer.Ordinal))
        {
            ImmutableArray<string> roles = [.. group.Select(w => w.Role).Distinct(StringComparer.Ordinal)];
            var link = links.FirstOrDefault(l => l.Name == group.Key);
            if (link is null)
            {
                result.Add(new TopologyInterface(group.Key, [], "missing", 0, roles));
                continue;
            }

            result.Add(new TopologyInterface(link.Name, [.. addresses[link.Index].Select(a => a.Address.ToString())], StateOf(link), link.Mtu, roles)
            {
                Lower = link.ParentIndex is { } lower && link.LinkNetnsId is null && lower != link.Index && byIndex.TryGetValue(lower, out var parent) ? parent.Name : null,
            });
        }

        return [.. result];
    }

    /// <summary>The operational state as <c>ip link</c> shows it; administratively down wins.</summary>
    private static string StateOf(LinkInfo link) => !link.IsUp ? "down" : link.OperState switch
    {
        OperState.Up => "up",
        OperState.Unknown => "unknown",
        OperState.LowerLayerDown => "lower layer down",
        _ => link.OperState.ToString().ToLowerInvariant(),
    };
}
