using System.Globalization;
using System.Xml.Linq;
using Berth.Core.Networks;
using Berth.Diagnostics.Topology;
using Berth.Linux.Namespaces;
using Berth.Network.Endpoints;
using Berth.Runtime.Engine;
using static Berth.Diagnostics.Tests.Topology.TopologyLab;

namespace Berth.Diagnostics.Tests.Topology;

/// <summary>The SVG and the HTML page at the scale (100 containers): well-formed, every name in, nothing overlapping, nothing external.</summary>
public sealed class TopologyDrawingTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private readonly NetworkNamespace host = NetworkNamespace.Host();

    public void Dispose() => host.Dispose();

    [Fact]
    public async Task A_hundred_containers_make_well_formed_svg_with_every_name_and_no_chip_over_another()
    {
        var topology = await HundredContainers();

        string svg = TopologySvg.Render(topology);
        var document = XDocument.Parse(svg);

        var root = document.Root!;
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal(TopologySvg.Width.ToString(CultureInfo.InvariantCulture), root.Attribute("width")!.Value);
        string text = root.Value;
        foreach (string name in topology.Networks.Select(n => n.Name).Concat(topology.Networks.SelectMany(n => n.Containers.Select(c => c.Name))))
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }

        // Readable: the chips lie in the drawing's width and none covers another.
        var chips = root.Descendants(Svg + "g").Where(g => ((string?)g.Attribute("class"))?.StartsWith("chip", StringComparison.Ordinal) == true)
            .Select(g => g.Element(Svg + "rect")!)
            .Select(r => (X: D(r, "x"), Y: D(r, "y"), W: D(r, "width"), H: D(r, "height")))
            .ToList();
        Assert.True(chips.Count >= 131, $"{chips.Count} chips");
        Assert.All(chips, c => Assert.True(c.X >= 0 && c.X + c.W <= TopologySvg.Width, $"chip at x={c.X} w={c.W} leaves the drawing"));
        for (int i = 0; i < chips.Count; i++)
        {
            for (int j = i + 1; j < chips.Count; j++)
            {
                var (a, b) = (chips[i], chips[j]);
                bool overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"chips {i} and {j} overlap");
            }
        }

        Assert.True(D(root, "height") > chips.Max(c => c.Y + c.H), "the drawing is shorter than its chips");
    }

    [Fact]
    public async Task The_html_page_is_self_contained_escapes_names_and_holds_the_drawing_and_the_tables()
    {
        var topology = await HundredContainers();

        string html = TopologyHtml.Render(topology, refreshSeconds: 10);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"10\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<td>a&lt;b&amp;c&#39;d&quot;e</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("a<b&c", html, StringComparison.Ordinal);
        int start = html.IndexOf("<svg", StringComparison.Ordinal);
        int end = html.IndexOf("</svg>", StringComparison.Ordinal) + "</svg>".Length;
        Assert.Equal(Svg + "svg", XDocument.Parse(html[start..end]).Root!.Name);
        foreach (var container in topology.Networks.SelectMany(n => n.Containers))
        {
            Assert.Contains("<td>" + (container.Name.Contains('<', StringComparison.Ordinal) ? "a&lt;b&amp;c&#39;d&quot;e" : container.Name) + "</td>", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("http-equiv", TopologyHtml.Render(topology), StringComparison.Ordinal);
    }

    /// <summary>100 running containers on a bridge (one with a name that needs escaping) and 30 on a macvlan with its host shim.</summary>
    private async Task<HostTopology> HundredContainers()
    {
        var front = NetworkOf("front", NetworkDrivers.Bridge, "172.18.0.0/16", "172.18.0.1");
        var lan = NetworkOf("lan", "macvlan", "10.77.0.0/24", "10.77.0.1");
        var containers = new List<ContainerRecord>();
        var endpoints = new List<EndpointState>();
        for (int i = 0; i < 100; i++)
        {
            var container = Container(i == 7 ? "a<b&c'd\"e" : $"app-{i:000}-worker", front);
            containers.Add(container);
            endpoints.Add(Endpoint(container, front, $"172.18.{i / 200}.{(i % 200) + 2}/16"));
        }

        for (int i = 0; i < 30; i++)
        {
            var container = Container($"sensor-{i:00}", lan);
            containers.Add(container);
            endpoints.Add(Endpoint(container, lan, $"10.77.0.{i + 50}/24"));
        }

        var sources = new DiagnosticSources
        {
            Networks = new StubNetworks(front, lan),
            Containers = new StubContainers(containers, endpoints),
            Host = host,
            Drivers = TopologyBuilderTests.Drivers(),
        };
        return await new TopologyBuilder(sources).BuildAsync();
    }

    private static double D(XElement element, string attribute) => double.Parse(element.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);
}
