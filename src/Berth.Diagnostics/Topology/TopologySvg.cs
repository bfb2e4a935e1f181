using System.Globalization;
using System.Text;

namespace Berth.Diagnostics.Topology;

/// <summary>
/// The topology as one self-contained SVG document (no fonts, scripts or images from elsewhere): a panel per LAN with
/// its macvlan networks, containers and host shim inside, one per bridge and per overlay (its nodes and their tasks),
/// then the published ports, the swarm's nodes and the notes. Every chip carries its full text as a tooltip.
/// </summary>
public static class TopologySvg
{
    /// <summary>The drawing's width; panels wrap their chips into rows of it, so 100 containers make it taller, never wider.</summary>
    public const double Width = 1200;

    private const double Margin = 16;
    private const double TitleHeight = 30;

    private const string Styles =
        "text{font-family:'DejaVu Sans Mono','Liberation Mono',monospace;font-size:12px;fill:#1a202c}" +
        ".h{font-weight:bold}.s{fill:#4a5568}.n{font-weight:bold}.d{fill:#4a5568}.title{font-size:16px;font-weight:bold}" +
        ".panel{stroke-width:1.5}.tree{fill:none;stroke:#718096;stroke-width:1.5}" +
        ".lan>.panel{fill:#ebf4ff;stroke:#3182ce}.macvlan>.panel{fill:#f0fff4;stroke:#38a169}" +
        ".bridge>.panel{fill:#fffaf0;stroke:#dd6b20}.overlay>.panel{fill:#faf5ff;stroke:#805ad5}" +
        ".node>.panel{fill:#ffffff;stroke:#805ad5;stroke-dasharray:4 3}.other>.panel{fill:#f7fafc;stroke:#718096}" +
        ".chip rect{fill:#ffffff;stroke:#4a5568}.chip.stopped rect{fill:#edf2f7;stroke:#a0aec0}" +
        ".chip.shim rect{fill:#fefcbf;stroke:#d69e2e}.chip.port rect{fill:#fff5f5;stroke:#e53e3e}.chip.note rect{fill:#fffff0;stroke:#b7791f}";

    public static string Render(HostTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var body = new StringBuilder();
        double y = Margin + TitleHeight;
        foreach (var panel in Panels(topology))
        {
            y += panel.Draw(body, Margin, y, Width - (2 * Margin)) + Margin;
        }

        string height = y.ToString("0", CultureInfo.InvariantCulture);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\">\n");
        svg.Append("<style>").Append(Styles).Append("</style>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"title\" x=\"{Margin}\" y=\"{Margin + 16}\">{Markup.Escape($"host {topology.HostName} — {topology.Taken:yyyy-MM-dd HH:mm:ss}Z")}</text>\n");
        svg.Append(body).Append("</svg>\n");
        return svg.ToString();
    }

    private static IEnumerable<SvgPanel> Panels(HostTopology topology)
    {
        var groups = TopologyGroups.Of(topology);
        foreach (var lan in groups.Lans)
        {
            var panel = new SvgPanel("lan", "LAN " + (lan.Interface is { } link ? TopologyGroups.Describe(link) : lan.Name + " (missing)"));
            foreach (var network in lan.Networks)
            {
                var child = Network("macvlan", network, lan.Name);
                if (network.HostShim is { } shim)
                {
                    child.Chips.Add(new SvgChip("shim", ["host shim " + shim, string.Join(", ", network.HostShimAddresses)]));
                }

                panel.Children.Add(child);
            }

            yield return panel;
        }

        foreach (var network in groups.Bridges)
        {
            yield return Network("bridge", network);
        }

        foreach (var overlay in groups.Overlays)
        {
            var panel = new SvgPanel("overlay", TopologyGroups.Heading(overlay), TopologyGroups.Facts(overlay));
            foreach (var (name, address, items) in TopologyGroups.NodesOf(overlay, topology))
            {
                var node = new SvgPanel("node", TopologyGroups.Join("node", name, address));
                node.Chips.AddRange(items.Select(item => new SvgChip("", SplitItem(item))));
                panel.Children.Add(node);
            }

            yield return panel;
        }

        foreach (var network in groups.Others)
        {
            yield return Network("other", network);
        }

        if (List("published ports", "port", topology.Ports.Select(TopologyGroups.Describe)) is { } ports)
        {
            yield return ports;
        }

        if (List("swarm nodes", "", topology.Nodes.Select(n => TopologyGroups.Join(n.Name, n.Address, n.Role, n.State, n.Self ? "(this node)" : null))) is { } nodes)
        {
            yield return nodes;
        }

        if (List("notes", "note", topology.Notes) is { } notes)
        {
            yield return notes;
        }
    }

    private static SvgPanel Network(string style, TopologyNetwork network, string? lanRoot = null)
    {
        var panel = new SvgPanel(style, TopologyGroups.Heading(network), TopologyGroups.Facts(network, lanRoot));
        panel.Chips.AddRange(network.Containers.Select(c => new SvgChip(c.State == "running" ? "" : "stopped",
            [c.Name, c.Addresses.IsEmpty ? "(no address)" : string.Join(", ", c.Addresses), TopologyGroups.Join(c.State, string.Join(", ", c.Ports))])));
        return panel;
    }

    private static SvgPanel? List(string title, string style, IEnumerable<string> items)
    {
        var panel = new SvgPanel("other", title);
        panel.Chips.AddRange(items.Select(item => new SvgChip(style, [item])));
        return panel.Chips.Count == 0 ? null : panel;
    }

    /// <summary>A node's item (<c>web.1 10.0.1.3/24 running</c>) as a chip: its name over the rest.</summary>
    private static string[] SplitItem(string item) => item.Split(' ', 2) is [var name, var rest] ? [name, rest] : [item];
}
