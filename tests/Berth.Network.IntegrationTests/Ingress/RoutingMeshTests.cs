using System.Globalization;
using System.Net;
using Berth.Core.Networks;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;
using Berth.Linux.Routes;
using Berth.Network.Endpoints;
using Berth.Network.IntegrationTests.Overlay;
using Berth.Network.IntegrationTests.Services;
using Berth.Network.Ingress;
using Berth.Network.Overlay;

namespace Berth.Network.IntegrationTests.Ingress;

/// <summary>
/// The routing mesh in a lab: three nodes on one LAN with an ingress overlay, an ingress entry (ingress0) in each node's
/// host namespace, the host DNAT table on every node, one task on h2, and a client on the LAN. The published port answers
/// on every node, the task sees the client's own address (nothing SNATs), and each reply goes back through the node
/// that received the connection because the task's namespace marks it by the entry it came through.
/// </summary>
public sealed class RoutingMeshTests : LabTest
{
    private const int Published = 8080;
    private const uint Vni = 4096;
    private const string Client = "192.168.60.100";
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(3);

    [RootFact]
    public void APublishedPortAnswersOnEveryNodeAndTheTaskSeesTheClientsAddress()
    {
        var lab = NewLab();
        using var overlay = new OverlayLab(lab, Manager, TestRoot, Runner, hosts: 3);
        var clientHost = lab.AddHost("client");
        lab.Connect(clientHost, overlay.Lan, "eth0", Client + "/24");
        using var client = NetworkNamespace.OpenPath(clientHost.NetnsPath, Runner);
        var ingress = NetworkId.New();

        // Every node's entry: an endpoint of the ingress network in the host namespace, no default route.
        var entries = new List<IngressEntry>();
        var peers = new List<OverlayPeer>();
        foreach (var (host, i) in overlay.Hosts.Select((h, i) => (h, i + 1)))
        {
            var endpoint = OverlayLab.Endpoint(ingress, "entry-h" + i, $"10.0.0.{10 + i}") with { InterfaceName = "ingress0" };
            host.Sandboxes.Join(OverlayLab.Spec(ingress, host, Vni), endpoint, "veth-ingress", host.Host);
            host.Host.Sysctls.SetIPv4Forwarding(true);
            var address = endpoint.IPv4!.Value.Address;
            entries.Add(new IngressEntry(address, EndpointWiring.Mac(endpoint)));
            peers.Add(new OverlayPeer(address, EndpointWiring.Mac(endpoint), host.Vtep));
        }

        var task = overlay.Join(overlay[2], OverlayLab.Spec(ingress, overlay[2], Vni), 5);
        peers.Add(OverlayLab.PeerOf(task));
        foreach (var host in overlay.Hosts)
        {
            host.Sandboxes.SetPeers(ingress, [.. peers.Where(p => !p.Vtep.Equals(host.Vtep))]);
            host.Host.Nft.Apply(IngressRuleset.Host([new IngressPublication("tcp", Published, 80, [task.Address])]));
        }

        using var stop = new CancellationTokenSource();
        var server = TaskServer.Serve(task.Namespace, "web.1", new IPEndPoint(task.Address, 80), stop.Token, tellPeer: true);
        try
        {
            // Negative: a task whose replies follow its own default route (via h2's entry, the node it runs on) answers
            // through h2 only; a connection DNATed by h1 gets its reply from h2, which has no conntrack entry to undo.
            task.Namespace.Rtnl.Routes.Add(RouteSpec.DefaultVia(entries[1].Address, "eth0"));
            Assert.Equal($"web.1 from {Client}", Ask(client, 2).Answer);
            var (wrong, error) = Ask(client, 1);
            Assert.Null(wrong);
            Assert.NotNull(error);

            // The return path: every node answers, and the task sees the client itself.
            IngressReturnPath.Apply(task.Namespace, "eth0", entries);
            for (int node = 1; node <= 3; node++)
            {
                for (int round = 0; round < 3; round++)
                {
                    var (answer, failed) = Ask(client, node);
                    Assert.True(answer == $"web.1 from {Client}", $"through h{node}: {answer ?? failed.ToString()}");
                }
            }

            string rules = InNetns.Ip(task.Path, "rule", "show");
            foreach (var entry in entries)
            {
                Assert.Contains($"fwmark 0x{entry.Mark:x} lookup {entry.Table}", rules, StringComparison.Ordinal);
                Assert.Contains($"default via {entry.Address} dev eth0 onlink",
                    InNetns.Ip(task.Path, "route", "show", "table", entry.Table.ToString(CultureInfo.InvariantCulture)), StringComparison.Ordinal);
            }

            // h3 leaves: its rule and table go, so connections through h3 break again, and h1's still work.
            IngressReturnPath.Apply(task.Namespace, "eth0", [entries[0], entries[1]]);
            Assert.DoesNotContain($"fwmark 0x{entries[2].Mark:x}", InNetns.Ip(task.Path, "rule", "show"), StringComparison.Ordinal);
            Assert.Equal(string.Empty, InNetns.Ip(task.Path, "route", "show", "table", entries[2].Table.ToString(CultureInfo.InvariantCulture)).Trim());
            Assert.Null(Ask(client, 3).Answer);
            Assert.Equal($"web.1 from {Client}", Ask(client, 1).Answer);

            // Idempotent: applying the same entries again changes nothing and still works.
            IngressReturnPath.Apply(task.Namespace, "eth0", [entries[0], entries[1]]);
            Assert.Equal($"web.1 from {Client}", Ask(client, 1).Answer);
        }
        finally
        {
            stop.Cancel();
            server.GetAwaiter().GetResult();
        }
    }

    private static (string? Answer, System.Net.Sockets.SocketError? Error) Ask(NetworkNamespace client, int node) =>
        TaskServer.Ask(client, new IPEndPoint(IPAddress.Parse($"{OverlayLab.Underlay}.{node}"), Published), Quick);
}
