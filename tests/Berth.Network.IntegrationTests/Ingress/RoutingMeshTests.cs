using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
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
    private const string EntrySandboxEnd = "veth-ingress";
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
        var entryEndpoints = new List<EndpointState>();
        var peers = new List<OverlayPeer>();
        var meshes = overlay.Hosts.Select(h => new IngressMesh(h.Host, Runner)).ToList();
        foreach (var (host, i) in overlay.Hosts.Select((h, i) => (h, i + 1)))
        {
            // As the daemon's IngressController makes it: the host namespace joins the sandbox, no default route, forwarding on.
            var endpoint = OverlayLab.Endpoint(ingress, "entry-h" + i, $"10.0.0.{10 + i}") with { InterfaceName = IngressMesh.EntryInterface, DefaultRoute = false, Gateway = null };
            host.Host.Sysctls.SetIPv4Forwarding(true);
            host.Sandboxes.Join(OverlayLab.Spec(ingress, host, Vni), endpoint, EntrySandboxEnd, host.Host);
            Assert.Contains($"inet 10.0.0.{10 + i}/24", host.Lab.Ip("addr", "show", IngressMesh.EntryInterface), StringComparison.Ordinal);
            Assert.DoesNotContain("default", host.Lab.Ip("route", "show", "dev", IngressMesh.EntryInterface), StringComparison.Ordinal);
            entryEndpoints.Add(endpoint);
            var address = endpoint.IPv4!.Value.Address;
            entries.Add(new IngressEntry(address, EndpointWiring.Mac(endpoint)));
            peers.Add(new OverlayPeer(address, EndpointWiring.Mac(endpoint), host.Vtep));
        }

        var task = overlay.Join(overlay[2], OverlayLab.Spec(ingress, overlay[2], Vni), 5);
        peers.Add(OverlayLab.PeerOf(task));
        foreach (var (host, mesh) in overlay.Hosts.Zip(meshes))
        {
            host.Sandboxes.SetPeers(ingress, [.. peers.Where(p => !p.Vtep.Equals(host.Vtep))]);
            mesh.SetPublications([new IngressPublication("tcp", Published, 80, [task.Address])]);
            mesh.SetEntries(entries);
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
            meshes[1].SyncTask("task", task.Path, "eth0");
            for (int node = 1; node <= 3; node++)
            {
                for (int round = 0; round < 3; round++)
                {
                    var (answer, failed) = Ask(client, node);
                    Assert.True(answer == $"web.1 from {Client}", $"through h{node}: {answer ?? failed.ToString()}");
                }
            }

            // UDP too: the return path is conntrack's, whatever the protocol.
            foreach (var mesh in meshes)
            {
                mesh.SetPublications(
                [
                    new IngressPublication("tcp", Published, 80, [task.Address]),
                    new IngressPublication("udp", Published, 53, [task.Address]),
                ]);
            }

            using (var udp = task.Namespace.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)))
            {
                udp.Bind(new IPEndPoint(task.Address, 53));
                var echo = Task.Run(async () =>
                {
                    var buffer = new byte[64];
                    for (int i = 0; i < 2; i++)
                    {
                        var got = await udp.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop.Token);
                        await udp.SendToAsync(Encoding.ASCII.GetBytes($"udp from {((IPEndPoint)got.RemoteEndPoint).Address}"), got.RemoteEndPoint, stop.Token);
                    }
                });
                Assert.Equal($"udp from {Client}", AskUdp(client, 1));
                Assert.Equal($"udp from {Client}", AskUdp(client, 3));
                echo.GetAwaiter().GetResult();
            }

            string rules = InNetns.Ip(task.Path, "rule", "show");
            foreach (var entry in entries)
            {
                Assert.Contains($"fwmark 0x{entry.Mark:x} lookup {entry.Table}", rules, StringComparison.Ordinal);
                Assert.Contains($"default via {entry.Address} dev eth0 onlink",
                    InNetns.Ip(task.Path, "route", "show", "table", entry.Table.ToString(CultureInfo.InvariantCulture)), StringComparison.Ordinal);
            }

            // Only the task's return path forgets h3's entry: its rule and table go, so connections through h3 break again.
            meshes[1].SetEntries([entries[0], entries[1]]);
            Assert.DoesNotContain($"fwmark 0x{entries[2].Mark:x}", InNetns.Ip(task.Path, "rule", "show"), StringComparison.Ordinal);
            Assert.Equal(string.Empty, InNetns.Ip(task.Path, "route", "show", "table", entries[2].Table.ToString(CultureInfo.InvariantCulture)).Trim());
            Assert.Null(Ask(client, 3).Answer);
            Assert.Equal($"web.1 from {Client}", Ask(client, 1).Answer);

            // h3 leaves the mesh: no entry, no DNAT table; its port refuses. The others keep answering (idempotent re-apply).
            overlay[3].Sandboxes.Leave(ingress, entryEndpoints[2], EntrySandboxEnd, overlay[3].Host);
            meshes[2].Clear();
            Assert.Null(overlay[3].Host.Links.TryGet(IngressMesh.EntryInterface));
            Assert.False(overlay[3].Host.Nft.TableExists(IngressRuleset.HostTable));
            Assert.Equal(SocketError.ConnectionRefused, Ask(client, 3).Error);
            meshes[1].SetEntries([entries[0], entries[1]]);
            Assert.Equal($"web.1 from {Client}", Ask(client, 1).Answer);
            Assert.Equal($"web.1 from {Client}", Ask(client, 2).Answer);
        }
        finally
        {
            stop.Cancel();
            server.GetAwaiter().GetResult();
            meshes.ForEach(m => m.Dispose());
        }
    }

    private static string AskUdp(NetworkNamespace client, int node)
    {
        using var socket = client.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        socket.Connect(new IPEndPoint(IPAddress.Parse($"{OverlayLab.Underlay}.{node}"), Published));
        socket.Send(Encoding.ASCII.GetBytes("hello"));
        var buffer = new byte[64];
        using var cancel = new CancellationTokenSource(Quick);
        int n = socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token).AsTask().GetAwaiter().GetResult();
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    private static (string? Answer, SocketError? Error) Ask(NetworkNamespace client, int node) =>
        TaskServer.Ask(client, new IPEndPoint(IPAddress.Parse($"{OverlayLab.Underlay}.{node}"), Published), Quick);
}
