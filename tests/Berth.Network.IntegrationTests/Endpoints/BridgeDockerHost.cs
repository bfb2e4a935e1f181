using Berth.Core.Networks;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;
using Berth.Network.Drivers;
using Berth.Network.Endpoints;
using Berth.Network.Firewall;
using Berth.Network.Ipam;
using Berth.Network.Networks;
using Berth.Network.Persistence;
using Berth.Store;

namespace Berth.Network.IntegrationTests.Endpoints;

/// <summary>
/// A docker host in a lab namespace, made of Berth's own parts: the nftables firewall, the bridge driver (and host,
/// null), a network manager and an endpoint manager over one in-memory store. Disposed in reverse order.
/// </summary>
internal sealed class BridgeDockerHost : IAsyncDisposable
{
    private readonly LinkReaper _reaper;

    private BridgeDockerHost(LabHost lab, NetworkNamespace host, LinkReaper reaper, NetworkManager networks, InMemoryStateStore store)
    {
        Lab = lab;
        Host = host;
        _reaper = reaper;
        Networks = networks;
        Store = store;
        Endpoints = new EndpointManager(networks, store);
    }

    public LabHost Lab { get; }

    public NetworkNamespace Host { get; }

    public InMemoryStateStore Store { get; }

    public NetworkManager Networks { get; }

    public EndpointManager Endpoints { get; }

    public static async Task<BridgeDockerHost> StartAsync(Lab lab, NamespaceRunner runner)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var dockerHost = lab.AddHost("dh");
        var host = NetworkNamespace.OpenPath(dockerHost.NetnsPath, runner);
        var firewall = new NftablesNetworkFirewall(host.Nft);
        firewall.Initialize();
        var reaper = new LinkReaper(host);
        var store = new InMemoryStateStore();
        var networks = new NetworkManager(new NetworkRepository(store), new NetworkIpam(), new NetworkDriverRegistry([new BridgeDriver(host, firewall, reaper), new FixedNetworkDriver(NetworkDrivers.Host), new FixedNetworkDriver(NetworkDrivers.Null)]), host);
        await networks.StartAsync();
        return new BridgeDockerHost(dockerHost, host, reaper, networks, store);
    }

    /// <summary>A bridge network with a subnet of the caller's choosing.</summary>
    public Task<NetworkState> CreateNetworkAsync(string name, string subnet) =>
        Networks.CreateAsync(new NetworkConfig { Name = name, Ipam = new IpamRequest { Config = [new IpamPoolRequest { Subnet = subnet }] } });

    public async ValueTask DisposeAsync()
    {
        Endpoints.Dispose();
        Networks.Dispose();
        await _reaper.DisposeAsync();
        Host.Dispose();
    }
}
