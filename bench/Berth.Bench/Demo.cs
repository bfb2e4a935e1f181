using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Core.Addressing;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Nftables;
using Berth.Linux.Routes;

namespace Berth.Bench;

/// <summary>
/// What the kernel layer does, end to end, in namespaces of its own: a bridge, two container
/// endpoints, TCP between them, a port published through an nftables map to a machine on another
/// link, and a clean teardown. Every step is Berth's own netlink and libnftables; no ip, no nft.
/// </summary>
internal sealed class Demo(TextWriter output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public int Run()
    {
        string prefix = $"berth-demo-{Environment.ProcessId}";
        var manager = new NamespaceManager("/run/netns");
        var made = new List<NetworkNamespace>();
        var clock = Stopwatch.StartNew();
        try
        {
            var host = Track(made, NetworkNamespace.Create(manager, $"{prefix}-host"));
            host.Links.SetUp("lo");
            host.Links.Create(new BridgeSpec("berth0") { Up = true });
            host.Rtnl.Addresses.Add("berth0", IPPrefix.Parse("10.89.0.1/24"));
            host.Sysctls.SetIPv4Forwarding(true);
            Say($"host namespace {host.Name}: bridge berth0 10.89.0.1/24, forwarding on");

            var web = Track(made, Endpoint(manager, host, $"{prefix}-web", "vweb", "10.89.0.2/24"));
            var client = Track(made, Endpoint(manager, host, $"{prefix}-client", "vclient", "10.89.0.3/24"));

            string reply = Exchange(web, client, new IPEndPoint(IPAddress.Parse("10.89.0.2"), 80), new IPEndPoint(IPAddress.Parse("10.89.0.2"), 80));
            Say($"client -> web 10.89.0.2:80 over the bridge: \"{reply}\"");

            // A machine on another link reaches web through a published port: one map element.
            var lan = Track(made, NetworkNamespace.Create(manager, $"{prefix}-lan"));
            host.Links.Create(new VethSpec("vlan0", "eth0") { PeerNamespace = lan.Handle, Up = true });
            host.Rtnl.Addresses.Add("vlan0", IPPrefix.Parse("10.89.1.1/24"));
            int eth0 = lan.Links.Get("eth0").Index;
            lan.Rtnl.Pipeline().SetUp("lo").SetUp(eth0).AddAddress(eth0, IPPrefix.Parse("10.89.1.2/24"))
                .AddRoute(RouteSpec.DefaultVia(IPAddress.Parse("10.89.1.1"), eth0)).Execute();
            var table = new NftTableRef(NftFamily.Ip, "berth");
            host.Nft.Apply(new NftBatch().ReplaceTable(new NftTable(table,
                chains:
                [
                    new NftChain("prerouting", new NftBaseChain(NftChainType.Nat, NftHook.Prerouting, NftPriority.Dstnat, NftPolicy.Accept),
                    [new NftRule(new NftMatch(NftSelector.IpDaddr, NftAddress.Parse("10.89.1.1")), new NftNatMap(NftNatKind.Dnat, false, NftSelector.TcpDport, "ports"))]),
                ],
                maps: [new NftMap("ports", NftType.InetService, NftType.Of(NftBasicType.Ipv4Addr, NftBasicType.InetService))])));
            var element = new NftElement(new NftPort(8080), new NftConcat(NftAddress.Parse("10.89.0.2"), new NftPort(80)));
            var watch = Stopwatch.StartNew();
            host.Nft.Apply(new NftBatch().AddElements(table, "ports", [element]));
            Say($"published 10.89.1.1:8080 -> web:80 as one map element in {watch.Elapsed.TotalMilliseconds:0.00} ms");
            reply = Exchange(web, lan, new IPEndPoint(IPAddress.Parse("10.89.0.2"), 80), new IPEndPoint(IPAddress.Parse("10.89.1.1"), 8080));
            Say($"lan 10.89.1.2 -> 10.89.1.1:8080 (DNAT to web): \"{reply}\"");

            host.Nft.Apply(new NftBatch().DeleteElements(table, "ports", [element]));
            Say("unpublished: the element is gone, and so is the way in: " + Refused(lan, new IPEndPoint(IPAddress.Parse("10.89.1.1"), 8080)));
        }
        finally
        {
            foreach (var ns in made)
            {
                ns.Dispose();
                manager.Delete(ns.Name!);
            }

            Say($"torn down {made.Count} namespaces; the kernel removes their links with them ({clock.Elapsed.TotalMilliseconds:0} ms in all)");
        }

        return 0;
    }

    private NetworkNamespace Endpoint(NamespaceManager manager, NetworkNamespace host, string name, string hostEnd, string cidr)
    {
        var clock = Stopwatch.StartNew();
        var endpoint = NetworkNamespace.Create(manager, name);
        host.Links.Create(new VethSpec(hostEnd, "eth0") { PeerNamespace = endpoint.Handle, Master = "berth0", Up = true });
        int eth0 = endpoint.Links.Get("eth0").Index;
        endpoint.Rtnl.Pipeline().SetUp("lo").SetUp(eth0).AddAddress(eth0, IPPrefix.Parse(cidr))
            .AddRoute(RouteSpec.DefaultVia(IPAddress.Parse("10.89.0.1"), eth0)).Execute();
        Say($"endpoint {name}: eth0 {cidr}, default via 10.89.0.1, {hostEnd} on berth0 ({clock.Elapsed.TotalMilliseconds:0.00} ms)");
        return endpoint;
    }

    /// <summary>Listens in <paramref name="server"/>, connects from <paramref name="from"/>, returns what the server answered.</summary>
    private static string Exchange(NetworkNamespace server, NetworkNamespace from, IPEndPoint listen, IPEndPoint connect)
    {
        using var listener = server.Run(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(listen);
            socket.Listen(1);
            return socket;
        });
        using var cancel = new CancellationTokenSource(Timeout);
        var serve = Task.Run(async () =>
        {
            using var connection = await listener.AcceptAsync(cancel.Token);
            await connection.SendAsync(Encoding.ASCII.GetBytes($"hello from {listen.Address}"), SocketFlags.None, cancel.Token);
        });
        using var client = from.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        client.ConnectAsync(connect, cancel.Token).AsTask().GetAwaiter().GetResult();
        var buffer = new byte[256];
        int n = client.ReceiveAsync(buffer, SocketFlags.None, cancel.Token).AsTask().GetAwaiter().GetResult();
        serve.GetAwaiter().GetResult();
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    private static string Refused(NetworkNamespace from, IPEndPoint target)
    {
        using var client = from.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            client.ConnectAsync(target, cancel.Token).AsTask().GetAwaiter().GetResult();
            throw new InvalidOperationException($"{target} still accepted connections after the element was removed");
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode.ToString();
        }
    }

    private static NetworkNamespace Track(List<NetworkNamespace> made, NetworkNamespace ns)
    {
        made.Add(ns);
        return ns;
    }

    private void Say(string line) => output.WriteLine(line);
}
