using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Doctor;

/// <summary>
/// <c>berth topology</c> on the lab's docker host: the guide's diagram (LAN eth0, a macvlan network with its containers
/// and the host shim, a bridge with a published port) as text from the CLI, and as the HTML page berthd serves,
/// rendered by headless Chromium: a screenshot with something drawn in it, and a DOM holding every name.
/// </summary>
public sealed class TopologyTests : DaemonTest
{
    [RootFact]
    public async Task TheTreeNamesEveryContainerAndAddressAndTheServedPageRendersInChromium()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        var created = daemon.BerthCli("network", "create", "-d", "macvlan", "--subnet", "10.77.0.0/24", "--gateway", "10.77.0.1", "--ip-range", "10.77.0.48/28",
            "-o", "parent=eth0", "--host-address", "10.77.0.240", "lan");
        Assert.True(created.Succeeded, created + "\n" + daemon.Log);
        string shim = "bsh-" + created.Output.Trim()[..8];
        daemon.DockerChecked("run", "-d", "--name", "printer", "--network", "lan", "--ip", "10.77.0.50", "bb:latest", "sleep", "300");
        daemon.DockerChecked("run", "-d", "--name", "scanner", "--network", "lan", "--ip", "10.77.0.51", "bb:latest", "sleep", "300");
        daemon.DockerChecked("network", "create", "--subnet", "10.91.0.0/24", "front");
        daemon.DockerChecked("run", "-d", "--name", "web", "--network", "front", "-p", "8080:80", "bb:latest", "sleep", "300");

        var tree = daemon.BerthCli("topology");
        Assert.True(tree.Succeeded, tree + "\n" + daemon.Log);
        string text = tree.Output;
        Assert.True(new Regex(@"^LAN eth0 10\.77\.0\.10/24 \(up, mtu \d+\)\n" +
            @"└─ macvlan lan 10\.77\.0\.0/24 gw 10\.77\.0\.1 \(bridge mode\)\n" +
            @"   ├─ printer 10\.77\.0\.50/24 running\n" +
            @"   ├─ scanner 10\.77\.0\.51/24 running\n" +
            $@"   └─ host shim {shim} 10\.77\.0\.240\n", RegexOptions.Multiline).IsMatch(text), text);
        Assert.True(new Regex(@"^bridge front 10\.91\.0\.0/24 gw 10\.91\.0\.1 \(br-[0-9a-f]+, mtu \d+\)\n└─ web 10\.91\.0\.2/24 running 0\.0\.0\.0:8080->80/tcp", RegexOptions.Multiline).IsMatch(text), text);
        Assert.Contains("0.0.0.0:8080/tcp → web 10.91.0.2:80 (via front)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("notes", text, StringComparison.Ordinal);

        // The CLI prints whole documents for the drawing formats, and refuses a format it does not know before asking.
        Assert.StartsWith("<!DOCTYPE html>", daemon.BerthCli("topology", "--format", "html").Output, StringComparison.Ordinal);
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", daemon.BerthCli("topology", "--format", "svg").Output, StringComparison.Ordinal);
        var refused = daemon.BerthCli("topology", "--format", "png");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("invalid --format \"png\": use text, svg, html or json", refused.Error, StringComparison.Ordinal);

        // The route serves every format with its content type; an unknown one is a 400 naming the valid ones.
        using var client = DaemonApi.Client(daemon);
        using var json = JsonDocument.Parse(await client.GetStringAsync(new Uri("/berth/topology?format=json", UriKind.Relative)));
        var lan = json.RootElement.GetProperty("Networks").EnumerateArray().Single(n => n.GetProperty("Name").GetString() == "lan");
        Assert.Equal(shim, lan.GetProperty("HostShim").GetString());
        Assert.Equal("eth0", lan.GetProperty("Parent").GetString());
        using var bad = await client.GetAsync(new Uri("/berth/topology?format=png", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("use one of json, text, svg, html", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var svg = await client.GetAsync(new Uri("/berth/topology?format=svg", UriKind.Relative));
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        using var page = await client.GetAsync(new Uri("/berth/topology?format=html", UriKind.Relative));
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        string file = Path.Combine(TestRoot, "topology.html");
        await File.WriteAllTextAsync(file, await page.Content.ReadAsStringAsync());

        Assert.True(HeadlessChromium.Installed, "chromium is not installed (scripts/install-deps.sh installs it)");
        string profile = Path.Combine(TestRoot, "chromium-profile");
        var chromium = new HeadlessChromium(LanPeer, profile);
        string png = Path.Combine(TestRoot, "topology.png");
        var shot = chromium.Screenshot(file, png, 1400, 1000);
        Assert.True(shot.Succeeded && File.Exists(png), shot.ToString());
        var image = PngImage.Read(await File.ReadAllBytesAsync(png));
        Assert.Equal((1400, 1000), (image.Width, image.Height));
        // A blank or single-colour page has one or two colours; the drawing's panels, chips and text have many.
        Assert.True(image.DistinctColours() >= 20, $"the screenshot has {image.DistinctColours()} colours");

        string dom = chromium.DumpDom(file);
        foreach (string name in Lines(daemon.DockerChecked("network", "ls", "--format", "{{.Name}}").Output).Concat(Lines(daemon.DockerChecked("ps", "-a", "--format", "{{.Names}}").Output)))
        {
            Assert.Contains(name, dom, StringComparison.Ordinal);
        }

        Assert.Contains(shim, dom, StringComparison.Ordinal);
        Assert.True(Poll.Until(() => chromium.Leftovers().Count == 0, TimeSpan.FromSeconds(5)), "chromium processes were left: " + string.Join(", ", chromium.Leftovers()));
        daemon.RemoveAllContainers();
        daemon.Stop();
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
