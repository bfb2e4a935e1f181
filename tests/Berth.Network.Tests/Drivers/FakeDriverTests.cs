using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Core.Ports;
using Berth.Linux.Namespaces;
using Berth.Network.Containers;
using Berth.Network.Dns;
using Berth.Network.Endpoints;
using Berth.Network.Ipam;
using Berth.Network.Ports;
using Berth.Network.Tests.Networks;
using Berth.Store;

namespace Berth.Network.Tests.Drivers;

/// <summary>
/// A driver the engine has never heard of ("fake", defined in the tests) works through the network manager, the
/// endpoint manager, port publishing and the DNS decision with no change to any of them: they ask its capabilities.
/// </summary>
public sealed class FakeDriverTests : IDisposable
{
    private static int _nextPorts = 52000 + (Environment.ProcessId % 100) * 20;

    private readonly InMemoryStateStore _store = new();
    private readonly PortRecordingFirewall _firewall = new();
    private readonly HostPortAllocator _hostPorts;
    private readonly string _netns = Directory.CreateTempSubdirectory("berth-fake-driver-").FullName;

    public FakeDriverTests()
    {
        ushort low = (ushort)Interlocked.Add(ref _nextPorts, 20);
        _hostPorts = new HostPortAllocator(new EphemeralPortRange(low, (ushort)(low + 9)));
    }

    public void Dispose()
    {
        _hostPorts.Dispose();
        Directory.Delete(_netns, recursive: true);
    }

    [Fact]
    public async Task A_registered_fake_driver_gets_networks_endpoints_and_capability_driven_behaviour()
    {
        using var daemon = await Daemon.StartAsync(_store);

        // The fake's "namespace" is never touched; any handle will do.
        using var container = NetworkNamespace.Host();
        var containers = new ContainerNetworks(new NamespaceManager(_netns), daemon.Endpoints, dns: null, new PortPublisher(_firewall, _hostPorts));

        var quiet = await daemon.Networks.CreateAsync(new NetworkConfig
        {
            Name = "quiet",
            Driver = "fake",
            Ipam = new IpamRequest { Config = [new IpamPoolRequest { Subnet = "10.88.0.0/24" }] },
        });
        Assert.Equal(["plan quiet", "create quiet"], daemon.Fake.Calls);
        Assert.True(daemon.Fake.Networks.ContainsKey(quiet.Id));
        Assert.Equal(IPAddress.Parse("10.88.0.1"), quiet.Subnets.Single().Gateway);

        var one = await daemon.Endpoints.AttachAsync("c1c1c1c1c1c1", "one", container, new EndpointRequest { Network = "quiet", DefaultRoute = true });
        var two = await daemon.Endpoints.AttachAsync("c2c2c2c2c2c2", "two", container, new EndpointRequest { Network = "quiet", IPv4Address = IPAddress.Parse("10.88.0.50") });
        Assert.Equal(IPAddress.Parse("10.88.0.2"), one.IPv4!.Value.Address);
        Assert.Equal(IPAddress.Parse("10.88.0.50"), two.IPv4!.Value.Address);
        Assert.Equal("fkc1c1c1", one.HostInterface);
        Assert.Equal(2, daemon.Fake.Joined.Count);
        Assert.Equal(2, (await _store.ListAsync(AddressClaims.PrefixOf(quiet.Id))).Count);
        Assert.NotNull(await _store.GetAsync($"endpoints/c1c1c1c1c1c1/{quiet.Id.Value}"));

        var twice = await Assert.ThrowsAsync<BerthException>(() => daemon.Endpoints.AttachAsync("c1c1c1c1c1c1", "one", container, new EndpointRequest { Network = "quiet" }));
        Assert.Equal(ErrorKind.Forbidden, twice.Kind);

        // Capabilities decide: the fake publishes no ports and has no embedded DNS; "fakeports" does both.
        var web = new PortBinding(new ContainerPort(80, PortProtocol.Tcp), IPAddress.Loopback, 0, 0);
        Assert.Empty(await containers.PublishAsync("c1c1c1c1c1c1", [web]));
        Assert.Empty(_firewall.Ports);
        Assert.False(ContainerDns.IsUserDefined(quiet, daemon.Endpoints.Drivers));

        var loud = await daemon.Networks.CreateAsync(new NetworkConfig { Name = "loud", Driver = "fakeports" });
        await daemon.Endpoints.AttachAsync("c3c3c3c3c3c3", "three", container, new EndpointRequest { Network = "loud" });
        var published = await containers.PublishAsync("c3c3c3c3c3c3", [web]);
        Assert.Equal(loud.Subnets.Single().Subnet.BaseAddress.ToString()[..^1] + "2", published.Single().ContainerAddress.ToString());
        Assert.Equal(published, _firewall.Ports);
        containers.Withdraw("c3c3c3c3c3c3", published);
        Assert.Empty(_firewall.Ports);
        Assert.True(ContainerDns.IsUserDefined(loud, daemon.Endpoints.Drivers));

        // A network with endpoints stays; leave, then delete.
        var inUse = await Assert.ThrowsAsync<BerthException>(() => daemon.Networks.DeleteAsync("quiet"));
        Assert.Equal(ErrorKind.Forbidden, inUse.Kind);
        await daemon.Endpoints.DetachAsync("c1c1c1c1c1c1", "one", container, "quiet");
        await daemon.Endpoints.DetachAsync("c2c2c2c2c2c2", "two", container, "quiet");
        Assert.Contains("leave c1c1c1c1c1c1", daemon.Fake.Calls);
        Assert.Empty(daemon.Fake.Joined);
        Assert.Empty(await _store.ListAsync(AddressClaims.PrefixOf(quiet.Id)));
        Assert.Empty(daemon.Endpoints.OfNetwork(quiet.Id));

        await daemon.Networks.DeleteAsync("quiet");
        Assert.Contains("delete quiet", daemon.Fake.Calls);
        Assert.False(daemon.Fake.Networks.ContainsKey(quiet.Id));
        Assert.Null(await _store.GetAsync($"networks/{quiet.Id.Value}"));
        var gone = await Assert.ThrowsAsync<BerthException>(() => daemon.Networks.GetAsync("quiet"));
        Assert.Equal(ErrorKind.NotFound, gone.Kind);
    }

    [Fact]
    public async Task An_unknown_driver_is_an_error_naming_the_registered_ones()
    {
        using var daemon = await Daemon.StartAsync(_store);
        var e = await Assert.ThrowsAsync<BerthException>(() => daemon.Networks.CreateAsync(new NetworkConfig { Name = "x", Driver = "weave" }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("network driver \"weave\" is not supported; use one of: bridge, fake, fakeports, fakeswarm", e.Message);
    }

    [Fact]
    public async Task Host_and_null_connect_no_containers_and_say_so()
    {
        using var daemon = await Daemon.StartAsync(_store);
        using var container = NetworkNamespace.Host();
        var host = await daemon.Networks.GetAsync("host");
        Assert.True(daemon.Drivers.CapabilitiesOf(host).SharesHostNamespace);
        Assert.True(daemon.Drivers.CapabilitiesOf(await daemon.Networks.GetAsync("none")).Isolated);
        var e = await Assert.ThrowsAsync<BerthException>(() => daemon.Endpoints.AttachAsync("c9", "nine", container, new EndpointRequest { Network = "host" }));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }
}
