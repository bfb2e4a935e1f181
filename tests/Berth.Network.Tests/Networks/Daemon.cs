using Berth.Core.Networks;
using Berth.Network.Drivers;
using Berth.Network.Endpoints;
using Berth.Network.Ipam;
using Berth.Network.Networks;
using Berth.Network.Persistence;
using Berth.Network.Tests.Drivers;
using Berth.Store;

namespace Berth.Network.Tests.Networks;

/// <summary>
/// One "daemon" of the network layer over a store that others may share: a network manager and an endpoint manager
/// with fake drivers (bridge is a fake too, for the predefined network), and no host namespace.
/// </summary>
internal sealed class Daemon : IDisposable
{
    public static readonly NetworkDriverCapabilities FakeCapabilities = new()
    {
        ConnectsContainers = true,
        NeedsGateway = true,
        PublishesPorts = false,
        EmbeddedDns = false,
    };

    private Daemon(IStateStore store)
    {
        Fake = new FakeNetworkDriver("fake", FakeCapabilities);
        Publishing = new FakeNetworkDriver("fakeports", FakeCapabilities with { PublishesPorts = true, EmbeddedDns = true });
        Bridge = new FakeNetworkDriver(NetworkDrivers.Bridge, FakeCapabilities with { PublishesPorts = true, EmbeddedDns = true });
        Swarm = new FakeNetworkDriver("fakeswarm", FakeCapabilities with { EmbeddedDns = true, Scope = NetworkDriverScope.Swarm });
        Drivers = new NetworkDriverRegistry([Fake, Publishing, Bridge, Swarm, new FixedNetworkDriver(NetworkDrivers.Host), new FixedNetworkDriver(NetworkDrivers.Null)]);
        Networks = new NetworkManager(new NetworkRepository(store), new NetworkIpam(), Drivers, host: null);
        Endpoints = new EndpointManager(Networks, store);
    }

    public FakeNetworkDriver Fake { get; }

    public FakeNetworkDriver Publishing { get; }

    public FakeNetworkDriver Bridge { get; }

    /// <summary>A swarm-scoped driver (as overlay): its networks live in the cluster store.</summary>
    public FakeNetworkDriver Swarm { get; }

    public NetworkDriverRegistry Drivers { get; }

    public NetworkManager Networks { get; }

    public EndpointManager Endpoints { get; }

    public static async Task<Daemon> StartAsync(IStateStore store)
    {
        var daemon = new Daemon(store);
        await daemon.Networks.StartAsync();
        await daemon.Endpoints.RestoreAsync();
        return daemon;
    }

    public void Dispose()
    {
        Endpoints.Dispose();
        Networks.Dispose();
    }
}
