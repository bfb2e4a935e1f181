using System.Net;
using System.Net.Sockets;
using Berth.Core.Addressing;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Linux.Nftables;
using Berth.Linux.Routes;

namespace Berth.Linux.IntegrationTests.Nftables;

/// <summary>
/// A port published the way Berth publishes ports: one DNAT rule that looks the destination up in
/// a map, and one map element per mapping. Bytes must really arrive, and must really stop.
/// </summary>
public sealed class DnatMapTests : LabTest
{
    private static readonly NftTableRef Table = new(NftFamily.Ip, "berthtest");
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [RootFact]
    public void AMapElementForwardsATcpPortAndRemovingItRefusesConnections()
    {
        using var router = NetworkNamespace.Create(Manager, "router");
        using var client = NetworkNamespace.Create(Manager, "client");
        using var server = NetworkNamespace.Create(Manager, "server");
        Wire(router, client, "rc", "10.91.1.1/24", "10.91.1.2/24");
        Wire(router, server, "rs", "10.91.2.1/24", "10.91.2.2/24");
        router.Sysctls.SetIPv4Forwarding(true);

        router.Nft.Apply(new NftBatch().ReplaceTable(new NftTable(Table,
            chains:
            [
                new NftChain("pre", new NftBaseChain(NftChainType.Nat, NftHook.Prerouting, NftPriority.Dstnat, NftPolicy.Accept),
                [
                    new NftRule(
                        new NftMatch(NftSelector.IpDaddr, NftAddress.Parse("10.91.1.1")),
                        new NftNatMap(NftNatKind.Dnat, ipv6: false, NftSelector.TcpDport, "ports")),
                ]),
            ],
            maps: [new NftMap("ports", NftType.InetService, NftType.Of(NftBasicType.Ipv4Addr, NftBasicType.InetService))])));

        var mapping = new NftElement(new NftPort(8080), new NftConcat(NftAddress.Parse("10.91.2.2"), new NftPort(80)));
        router.Nft.Apply(new NftBatch().AddElements(Table, "ports", [mapping]));
        Assert.Equal(["8080 : 10.91.2.2 . 80"], router.Nft.ListElements(NftFamily.Ip, "berthtest", "ports"));

        using var listener = TcpProbe.Listen(server, new IPEndPoint(IPAddress.Parse("10.91.2.2"), 80));
        var target = new IPEndPoint(IPAddress.Parse("10.91.1.1"), 8080);
        var received = Task.Run(() => TcpProbe.Receive(listener, Timeout));
        Assert.Null(TcpProbe.Send(client, target, "hello through the map", Timeout));
        Assert.Equal("hello through the map", received.GetAwaiter().GetResult());

        // One element removed: nothing listens on the router's 8080, so the connection is refused.
        router.Nft.Apply(new NftBatch().DeleteElements(Table, "ports", [mapping]));
        Assert.Empty(router.Nft.ListElements(NftFamily.Ip, "berthtest", "ports"));
        Assert.Equal(SocketError.ConnectionRefused, TcpProbe.Send(client, target, "must not arrive", Timeout));

        router.Nft.Apply(new NftBatch().DeleteTable(Table));
        Assert.False(router.Nft.TableExists(Table));
        foreach (var ns in new[] { router, client, server })
        {
            ns.Dispose();
            Manager.Delete(ns.Name!);
        }
    }

    /// <summary>A veth from <paramref name="router"/> to <paramref name="host"/>'s eth0, addressed, with the host's default route via the router.</summary>
    private static void Wire(NetworkNamespace router, NetworkNamespace host, string routerEnd, string routerCidr, string hostCidr)
    {
        router.Links.Create(new VethSpec(routerEnd, "eth0") { PeerNamespace = host.Handle, Up = true });
        router.Rtnl.Addresses.Add(routerEnd, IPPrefix.Parse(routerCidr));
        int eth0 = host.Links.Get("eth0").Index;
        var gateway = IPPrefix.Parse(routerCidr).Address;
        host.Rtnl.Pipeline().SetUp("lo").SetUp(eth0).AddAddress(eth0, IPPrefix.Parse(hostCidr)).AddRoute(RouteSpec.DefaultVia(gateway, eth0)).Execute();
    }
}
