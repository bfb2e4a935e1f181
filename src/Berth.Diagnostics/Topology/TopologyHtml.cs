using System.Globalization;
using System.Text;

namespace Berth.Diagnostics.Topology;

/// <summary>
/// The topology as one self-contained HTML page: the SVG drawing inline, then tables of the host's interfaces, the
/// networks, the containers, the published ports and the swarm's tasks. Nothing is loaded from elsewhere and no script
/// runs; a page served by berthd refreshes itself (<c>meta refresh</c>) so it stays live in a browser tab.
/// </summary>
public static class TopologyHtml
{
    private const string Styles =
        "body{font-family:system-ui,sans-serif;margin:16px;color:#1a202c}h1{font-size:20px}h2{font-size:16px;margin-top:24px}" +
        "table{border-collapse:collapse;font-family:'DejaVu Sans Mono','Liberation Mono',monospace;font-size:12px}" +
        "th,td{border:1px solid #cbd5e0;padding:3px 8px;text-align:left;vertical-align:top}th{background:#edf2f7}" +
        ".drawing{overflow-x:auto}.notes li{color:#975a16}";

    /// <param name="refreshSeconds">Reload the page this often; null: a static page (a file saved from the CLI).</param>
    public static string Render(HostTopology topology, int? refreshSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        if (refreshSeconds is { } seconds)
        {
            html.Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"refresh\" content=\"{seconds}\">\n");
        }

        string title = $"Berth topology of {topology.HostName}";
        html.Append("<title>").Append(Markup.Escape(title)).Append("</title>\n<style>").Append(Styles).Append("</style>\n</head>\n<body>\n");
        html.Append("<h1>").Append(Markup.Escape(title)).Append("</h1>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>Taken {topology.Taken:yyyy-MM-dd HH:mm:ss} UTC.</p>\n");
        html.Append("<div class=\"drawing\">\n").Append(TopologySvg.Render(topology)).Append("</div>\n");

        Table(html, "Host interfaces", ["Interface", "Addresses", "State", "MTU", "Shown as"],
            topology.Interfaces.Select(i => new[] { i.Name + (i.Lower is { } lower ? " (on " + lower + ")" : ""), string.Join(", ", i.Addresses), i.State, Number(i.Mtu), string.Join(", ", i.Roles) }));
        Table(html, "Networks", ["Network", "Driver", "Scope", "Subnets", "Gateways", "On the host", "Containers"],
            topology.Networks.Select(n => new[]
            {
                n.Name, n.Driver, n.Scope, string.Join(", ", n.Subnets), string.Join(", ", n.Gateways),
                TopologyGroups.Join(n.Bridge, n.Parent is null ? null : "parent " + n.Parent, n.HostShim is null ? null : $"host shim {n.HostShim} {string.Join(", ", n.HostShimAddresses)}", TopologyGroups.Facts(n)),
                Number(n.Containers.Length),
            }));
        Table(html, "Containers", ["Container", "Network", "State", "Addresses", "MAC", "Published"],
            topology.Networks.SelectMany(n => n.Containers.Select(c => new[] { c.Name, n.Name, c.State, string.Join(", ", c.Addresses), c.MacAddress ?? "", string.Join(", ", c.Ports) })));
        Table(html, "Published ports", ["Host address", "Port", "Protocol", "To", "Target", "Via"],
            topology.Ports.Select(p => new[] { p.HostAddress, Number(p.HostPort), p.Protocol, p.Owner, p.Target, p.Via }));
        Table(html, "Swarm nodes", ["Node", "Address", "Role", "State", "Availability"],
            topology.Nodes.Select(n => new[] { n.Name + (n.Self ? " (this node)" : ""), n.Address, n.Role, n.State, n.Availability }));
        Table(html, "Service tasks", ["Task", "Network", "Node", "Address", "State"],
            topology.Networks.SelectMany(n => n.Tasks.Select(t => new[] { t.Name, n.Name, t.Node, t.Address ?? "", t.State })));
        if (!topology.Notes.IsEmpty)
        {
            html.Append("<h2>Notes</h2>\n<ul class=\"notes\">\n");
            foreach (string note in topology.Notes)
            {
                html.Append("<li>").Append(Markup.Escape(note)).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>A table under its heading; left out when it has no rows.</summary>
    private static void Table(StringBuilder html, string heading, string[] columns, IEnumerable<string[]> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        html.Append("<h2>").Append(Markup.Escape(heading)).Append("</h2>\n<table>\n<tr>");
        foreach (string column in columns)
        {
            html.Append("<th>").Append(Markup.Escape(column)).Append("</th>");
        }

        html.Append("</tr>\n");
        foreach (var row in list)
        {
            html.Append("<tr>");
            foreach (string cell in row)
            {
                html.Append("<td>").Append(Markup.Escape(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
