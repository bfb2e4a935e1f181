using System.Text;

namespace Berth.Diagnostics.Topology;

/// <summary>
/// <c>berth topology</c>'s text: one tree per LAN, bridge, overlay and other network, as the guide draws its diagram
/// (<c>LAN eth0 10.77.0.10/24 → macvlan lan → printer 10.77.0.50, host shim bsh-…</c>), then the published ports,
/// the swarm's nodes and what could not be read.
/// </summary>
public static class TopologyText
{
    public static string Render(HostTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var groups = TopologyGroups.Of(topology);
        var output = new StringBuilder();
        output.Append("host ").Append(topology.HostName).Append('\n');
        foreach (var lan in groups.Lans)
        {
            var root = new TextTree("LAN " + (lan.Interface is { } link ? TopologyGroups.Describe(link) : lan.Name + " (missing)"));
            foreach (var network in lan.Networks)
            {
                var node = root.Add(TopologyGroups.Join(TopologyGroups.Heading(network), TopologyGroups.Facts(network, lan.Name)));
                AddContainers(node, network);
                if (network.HostShim is { } shim)
                {
                    node.Add(TopologyGroups.Join("host shim", shim, string.Join(", ", network.HostShimAddresses)));
                }
            }

            Write(output, root);
        }

        foreach (var network in groups.Bridges.Concat(groups.Others))
        {
            var root = new TextTree(TopologyGroups.Join(TopologyGroups.Heading(network), TopologyGroups.Facts(network)));
            AddContainers(root, network);
            Write(output, root);
        }

        foreach (var overlay in groups.Overlays)
        {
            var root = new TextTree(TopologyGroups.Join(TopologyGroups.Heading(overlay), TopologyGroups.Facts(overlay)));
            foreach (var (name, address, items) in TopologyGroups.NodesOf(overlay, topology))
            {
                var node = root.Add(TopologyGroups.Join("node", name, address));
                foreach (string item in items)
                {
                    node.Add(item);
                }
            }

            Write(output, root);
        }

        WriteList(output, "published ports", topology.Ports.Select(TopologyGroups.Describe));
        WriteList(output, "swarm nodes", topology.Nodes.Select(n => TopologyGroups.Join(n.Name, n.Address, n.Role, n.State, n.Availability, n.Self ? "(this node)" : null)));
        WriteList(output, "notes", topology.Notes);
        return output.ToString();
    }

    private static void AddContainers(TextTree parent, TopologyNetwork network)
    {
        foreach (var container in network.Containers)
        {
            parent.Add(TopologyGroups.Describe(container));
        }
    }

    private static void WriteList(StringBuilder output, string title, IEnumerable<string> items)
    {
        var root = new TextTree(title);
        foreach (string item in items)
        {
            root.Add(item);
        }

        if (root.Children.Count > 0)
        {
            Write(output, root);
        }
    }

    private static void Write(StringBuilder output, TextTree tree)
    {
        output.Append('\n');
        tree.Write(output);
    }
}
