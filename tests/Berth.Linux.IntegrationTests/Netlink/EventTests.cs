using System.Net;
using System.Net.NetworkInformation;
using System.Threading.Channels;
using Berth.Core.Addressing;
using Berth.Linux.Events;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;

namespace Berth.Linux.IntegrationTests.Netlink;

public sealed class EventTests : LabTest
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [RootFact]
    public async Task LinkAndNeighbourChangesArriveAsEvents()
    {
        using var ns = NetworkNamespace.Create(Manager, "events");
        using var monitor = ns.Run(() => NetlinkMonitor.Open(NetlinkGroups.Link | NetlinkGroups.Neighbour));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = Channel.CreateUnbounded<NetlinkEvent>();
        var reader = Task.Run(async () =>
        {
            await foreach (var item in monitor.ReadAllAsync(stop.Token))
            {
                await events.Writer.WriteAsync(item);
            }
        });

        ns.Links.Create(new BridgeSpec("br0") { Up = true });
        var created = await Next<LinkEvent>(events, e => e.Link.Name == "br0" && !e.Removed);
        Assert.Equal("bridge", created.Link.Kind);

        ns.Rtnl.Addresses.Add("br0", IPPrefix.Parse("10.96.0.1/24"));
        ns.Rtnl.Neighbours.SetStatic("br0", IPAddress.Parse("10.96.0.9"), PhysicalAddress.Parse("02-00-00-00-00-09"));
        var neighbour = await Next<NeighbourEvent>(events, e => e.Neighbour.Address.Equals(IPAddress.Parse("10.96.0.9")));
        Assert.False(neighbour.Removed);

        ns.Links.Create(new VethSpec("p0", "p1") { Master = "br0" });
        await Next<FdbEvent>(events, e => !e.Removed);

        ns.Links.Delete("br0");
        var removed = await Next<LinkEvent>(events, e => e.Link.Name == "br0" && e.Removed);
        Assert.Equal(created.Link.Index, removed.Link.Index);

        await stop.CancelAsync();
        await reader;
        ns.Dispose();
        Manager.Delete("events");
    }

    private static async Task<T> Next<T>(Channel<NetlinkEvent> events, Func<T, bool> match)
        where T : NetlinkEvent
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            var item = await events.Reader.ReadAsync(timeout.Token);
            if (item is T typed && match(typed))
            {
                return typed;
            }
        }
    }
}
