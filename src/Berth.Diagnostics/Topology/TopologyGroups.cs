using System.Collections.Immutable;

namespace Berth.Diagnostics.Topology;

/// <summary>
/// The guide's picture, as the renderers draw it: the LANs (a host interface with the macvlan networks whose parent
/// sits on it), the bridges, the overlays, and the rest (host, none). Networks are placed by what their driver made
/// here (a parent, a bridge, a sandbox), never by the driver's name.
/// </summary>
internal sealed record TopologyGroups(
    ImmutableArray<TopologyLan> Lans, ImmutableArray<TopologyNetwork> Bridges, ImmutableArray<TopologyNetwork> Overlays, ImmutableArray<TopologyNetwork> Others)
{
    public static TopologyGroups Of(HostTopology topology)
    {
        var interfaces = topology.Interfaces.ToDictionary(i => i.Name, StringComparer.Ordinal);
        string RootOf(TopologyNetwork n) => interfaces.TryGetValue(n.Parent!, out var parent) && parent.Lower is { } lower ? lower : n.Parent!;

        var lanNetworks = topology.Networks.Where(n => n.Parent is not null).ToLookup(RootOf, StringComparer.Ordinal);
        var roots = topology.Interfaces.Where(i => i.DefaultRoute).Select(i => i.Name)
            .Concat(lanNetworks.Select(g => g.Key))
            .Distinct(StringComparer.Ordinal);
        var lans = roots.Select(name => new TopologyLan(name, interfaces.GetValueOrDefault(name), [.. lanNetworks[name]])).ToImmutableArray();
        return new TopologyGroups(
            lans,
            [.. topology.Networks.Where(n => n.Parent is null && n.Bridge is not null)],
            [.. topology.Networks.Where(n => n.Parent is null && n.Bridge is null && (n.Sandbox is not null || n.Vni is not null))],
            [.. topology.Networks.Where(n => n.Parent is null && n.Bridge is null && n.Sandbox is null && n.Vni is null)]);
    }

    /// <summary>What a network's heading says: <c>macvlan lan 10.77.0.0/24 gw 10.77.0.1</c>.</summary>
    public static string Heading(TopologyNetwork network) =>
        string.Join(' ', new[] { network.Driver, network.Name, string.Join(", ", network.Subnets), network.Gateways.IsEmpty ? null : "gw " + string.Join(", ", network.Gateways) }
            .Where(s => !string.IsNullOrEmpty(s)));

    /// <summary>The driver's facts in brackets: <c>(bridge mode, parent eth0.10 made by berth, mtu 1450)</c>; empty when none.</summary>
    public static string Facts(TopologyNetwork network, string? lanRoot = null)
    {
        var facts = new List<string>();
        if (network.Mode is { } mode)
        {
            facts.Add(mode + " mode");
        }

        if (network.Parent is { } parent && (parent != lanRoot || network.ParentMadeByBerth))
        {
            facts.Add("parent " + parent + (network.ParentMadeByBerth ? " made by berth" : ""));
        }

        if (network.Bridge is { } bridge)
        {
            facts.Add(bridge);
        }

        if (network.Vni is { } vni)
        {
            facts.Add("vni " + vni.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (network.Mtu is { } mtu)
        {
            facts.Add("mtu " + mtu.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (network.Internal)
        {
            facts.Add("internal");
        }

        if (network.Parent is not null && !network.HostReachesContainers)
        {
            facts.Add("no host shim: the host cannot reach these containers");
        }

        return facts.Count == 0 ? "" : "(" + string.Join(", ", facts) + ")";
    }

    /// <summary>An interface as the LAN's heading shows it: <c>eth0 10.77.0.10/24 (up, mtu 1500)</c>.</summary>
    public static string Describe(TopologyInterface link) =>
        string.Join(' ', new[] { link.Name, string.Join(", ", link.Addresses) }.Where(s => s.Length > 0))
        + $" ({link.State}{(link.Mtu > 0 ? ", mtu " + link.Mtu.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}"
        + (link.Lower is { } lower ? ", on " + lower : "") + ")";

    /// <summary>
    /// An overlay's nodes with what runs on each: the tasks (a manager's view) and the peers, each node once by its id
    /// (names may repeat); this host's containers that are no task (all of them where the tasks are unknown: a worker)
    /// go under this host, marked as such.
    /// </summary>
    public static IReadOnlyList<(string Node, string? Address, IReadOnlyList<string> Items)> NodesOf(TopologyNetwork overlay, HostTopology topology)
    {
        var known = topology.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var self = topology.Nodes.FirstOrDefault(n => n.Self);
        var entries = new Dictionary<string, (string Name, string? Address, List<string> Items)>(StringComparer.Ordinal);
        List<string> ItemsOf(string key, string name, string? address)
        {
            if (!entries.TryGetValue(key, out var entry))
            {
                entries[key] = entry = (known.TryGetValue(key, out var node) && node.Self ? name + " (this host)" : name, address, []);
            }

            return entry.Items;
        }

        foreach (var task in overlay.Tasks)
        {
            string key = task.NodeId ?? task.Node;
            ItemsOf(key, task.Node, known.GetValueOrDefault(key)?.Address).Add(Join(task.Name, task.Address, task.State));
        }

        foreach (var peer in overlay.Peers)
        {
            // A peer is named by its node id; this host may know itself only by its address (a worker).
            var node = known.GetValueOrDefault(peer.Name) ?? (self is not null && self.Address == peer.Address ? self : null);
            ItemsOf(node?.Id ?? peer.Name, node?.Name ?? peer.Name, peer.Address);
        }

        var here = overlay.Tasks.IsEmpty ? overlay.Containers : [.. overlay.Containers.Where(c => c.Service is null)];
        if (!here.IsEmpty)
        {
            (self is null ? ItemsOf("", "this host " + topology.HostName, null) : ItemsOf(self.Id, self.Name, self.Address)).AddRange(here.Select(Describe));
        }

        return [.. entries.Values
            .OrderBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.Address, StringComparer.Ordinal)
            .Select(e => (e.Name, e.Address, (IReadOnlyList<string>)e.Items))];
    }

    /// <summary>A container's line: <c>printer 10.77.0.50/24 running 0.0.0.0:8080->80/tcp</c>.</summary>
    public static string Describe(TopologyContainer container) =>
        Join(container.Name, string.Join(", ", container.Addresses), container.State, string.Join(", ", container.Ports));

    /// <summary>A published port's line: <c>0.0.0.0:8080/tcp → web 172.18.0.2:80 (via front)</c>.</summary>
    public static string Describe(TopologyPort port) =>
        $"{(port.HostAddress.Contains(':', StringComparison.Ordinal) ? $"[{port.HostAddress}]" : port.HostAddress)}:{port.HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{port.Protocol} → {port.Owner} {port.Target} (via {port.Via})";

    /// <summary>The non-empty parts, space separated.</summary>
    public static string Join(params string?[] parts) => string.Join(' ', parts.Where(p => !string.IsNullOrEmpty(p)));
}
