using System.Net;
using System.Net.Sockets;
using Berth.Core.Addressing;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Routes;

namespace Berth.Network.IntegrationTests.Firewall;

/// <summary>
/// A docker host in miniature, built with Berth's own API: a "host" namespace with two bridges (networks A and B,
/// forwarding on), containers whose eth0 is born inside their namespaces, and an "outside" namespace behind a veth
/// from the host that stands for the internet. Outside knows a route back to the container subnets (as an upstream
/// router would), so an un-masqueraded connection still completes and shows the container's own address.
/// </summary>
public sealed class FirewallLab : IDisposable
{
    public const string BridgeA = "br-a";
    public const string BridgeB = "br-b";
    public static readonly IPNetwork SubnetA = IPNetwork.Parse("10.51.0.0/24");
    public static readonly IPNetwork SubnetB = IPNetwork.Parse("10.52.0.0/24");
    public static readonly IPAddress GatewayA = IPAddress.Parse("10.51.0.1");
    public static readonly IPAddress GatewayB = IPAddress.Parse("10.52.0.1");
    public static readonly IPAddress HostUplink = IPAddress.Parse("10.50.0.1");
    public static readonly IPAddress OutsideAddress = IPAddress.Parse("10.50.0.2");
    public static readonly TimeSpan LinkUp = TimeSpan.FromSeconds(5);

    private readonly NamespaceManager manager;
    private readonly List<NetworkNamespace> namespaces = [];

    public FirewallLab(NamespaceManager manager)
    {
        this.manager = manager;
        Host = Add("host");
        Host.Links.SetUp("lo");
        Host.Links.Create(new BridgeSpec(BridgeA) { Up = true });
        Host.Links.Create(new BridgeSpec(BridgeB) { Up = true });
        Host.Rtnl.Addresses.Add(BridgeA, new IPPrefix(GatewayA, SubnetA.PrefixLength));
        Host.Rtnl.Addresses.Add(BridgeB, new IPPrefix(GatewayB, SubnetB.PrefixLength));
        Host.Sysctls.SetIPv4Forwarding(true);

        Outside = Add("outside");
        Host.Links.Create(new VethSpec("uplink", "eth0") { PeerNamespace = Outside.Handle, Up = true });
        Host.Rtnl.Addresses.Add("uplink", new IPPrefix(HostUplink, 24));
        int eth0 = Outside.Links.Get("eth0").Index;
        Outside.Rtnl.Pipeline()
            .SetUp("lo")
            .SetUp(eth0)
            .AddAddress(eth0, new IPPrefix(OutsideAddress, 24))
            .AddRoute(new RouteSpec { Destination = IPNetwork.Parse("10.51.0.0/16"), Gateway = HostUplink, Device = eth0 })
            .AddRoute(new RouteSpec { Destination = IPNetwork.Parse("10.52.0.0/16"), Gateway = HostUplink, Device = eth0 })
            .Execute();
    }

    public NetworkNamespace Host { get; }

    public NetworkNamespace Outside { get; }

    /// <summary>A container on <paramref name="bridge"/>: veth host end <c>v-NAME</c> on the bridge, eth0 inside, default route via the gateway.</summary>
    public NetworkNamespace AddContainer(string name, string bridge, string address)
    {
        var container = Add(name);
        var gateway = bridge == BridgeA ? GatewayA : GatewayB;
        Host.Links.Create(new VethSpec("v-" + name, "eth0") { PeerNamespace = container.Handle, Master = bridge, Up = true });
        int eth0 = container.Links.Get("eth0").Index;
        container.Rtnl.Pipeline()
            .SetUp("lo")
            .SetUp(eth0)
            .AddAddress(eth0, IPPrefix.Parse(address + "/24"))
            .AddRoute(RouteSpec.DefaultVia(gateway, eth0))
            .Execute();
        return container;
    }

    /// <summary>Whether a ping from <paramref name="from"/> to <paramref name="to"/> gets a reply within a few tries.</summary>
    public static bool Reaches(NetworkNamespace from, IPAddress to) => InNetns.PingWithin(from.Handle.Path, to.ToString(), LinkUp);

    /// <summary>Whether a single ping (one second) gets a reply: for asserting a drop once the path is known to work.</summary>
    public static bool ReachesOnce(NetworkNamespace from, IPAddress to) => InNetns.Ping(from.Handle.Path, to.ToString());

    /// <summary>
    /// Connects from <paramref name="from"/> to a listener in outside and returns the source address outside saw,
    /// or null when the connection did not complete.
    /// </summary>
    public IPAddress? SourceSeenOutside(NetworkNamespace from, int port)
    {
        using var listener = TcpProbe.Listen(Outside, new IPEndPoint(OutsideAddress, port));
        var accepted = Task.Run(() =>
        {
            using var cancel = new CancellationTokenSource(LinkUp);
            try
            {
                using var connection = listener.AcceptAsync(cancel.Token).AsTask().GetAwaiter().GetResult();
                return ((IPEndPoint)connection.RemoteEndPoint!).Address;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        });
        SocketError? error = TcpProbe.Send(from, new IPEndPoint(OutsideAddress, port), "who am I", LinkUp);
        IPAddress? seen = accepted.GetAwaiter().GetResult();
        return error is null ? seen : null;
    }

    public void Dispose()
    {
        foreach (var ns in Enumerable.Reverse(namespaces))
        {
            string name = ns.Name!;
            ns.Dispose();
            manager.Delete(name);
        }

        namespaces.Clear();
    }

    private NetworkNamespace Add(string name)
    {
        var ns = NetworkNamespace.Create(manager, name);
        namespaces.Add(ns);
        return ns;
    }
}
