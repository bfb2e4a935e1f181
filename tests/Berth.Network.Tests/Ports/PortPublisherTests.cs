using System.Net;
using Berth.Core.Errors;
using Berth.Core.Ports;
using Berth.Network.Firewall;
using Berth.Network.Ports;

namespace Berth.Network.Tests.Ports;

public sealed class PortPublisherTests : IDisposable
{
    private static int _nextRange = 47000 + (Environment.ProcessId % 200) * 20;
    private readonly ushort _low;
    private readonly HostPortAllocator _allocator;
    private readonly RecordingFirewall _firewall = new();
    private readonly PortPublisher _publisher;

    public PortPublisherTests()
    {
        _low = (ushort)Interlocked.Add(ref _nextRange, 20);
        _allocator = new HostPortAllocator(new EphemeralPortRange(_low, (ushort)(_low + 9)));
        _publisher = new PortPublisher(_firewall, _allocator);
    }

    public void Dispose() => _allocator.Dispose();

    private static ContainerPort Web => new(80, PortProtocol.Tcp);

    [Fact]
    public void A_binding_on_an_address_leads_to_the_container_address_of_its_family()
    {
        var target = new PortTarget("web", IPAddress.Parse("172.18.0.2"), IPAddress.Parse("fd00::2"));
        var published = _publisher.Publish("c1", [new PortBinding(Web, IPAddress.Loopback, 0, 0), new PortBinding(Web, IPAddress.IPv6Loopback, 0, 0)], target);
        Assert.Equal(2, published.Length);
        Assert.Equal(IPAddress.Parse("172.18.0.2"), published[0].ContainerAddress);
        Assert.Equal(IPAddress.Parse("fd00::2"), published[1].ContainerAddress);
        Assert.Equal(published, _firewall.Ports);
        _publisher.Withdraw("c1", published);
        Assert.Empty(_firewall.Ports);
        Assert.Equal(0, _allocator.Count);
    }

    [Fact]
    public void An_address_of_a_family_the_container_lacks_is_a_clear_error_and_nothing_stays_held()
    {
        var target = new PortTarget("web", IPAddress.Parse("172.18.0.2"), null);
        var e = Assert.Throws<BerthException>(() => _publisher.Publish("c1", [new PortBinding(Web, IPAddress.Loopback, 0, 0), new PortBinding(Web, IPAddress.IPv6Loopback, 0, 0)], target));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("the container has no IPv6 address on network web", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, _allocator.Count);
        Assert.Empty(_firewall.Ports);
    }

    [Fact]
    public void A_firewall_failure_releases_every_host_port()
    {
        _firewall.Fail = true;
        var target = new PortTarget("web", IPAddress.Parse("172.18.0.2"), null);
        Assert.Throws<BerthException>(() => _publisher.Publish("c1", [new PortBinding(Web, IPAddress.Loopback, 0, 0)], target));
        Assert.Equal(0, _allocator.Count);
    }

    [Fact]
    public void Restore_holds_the_ports_again_and_replaces_the_maps_with_exactly_them()
    {
        var port = new PublishedPort(Web, IPAddress.Loopback, (ushort)(_low + 15), IPAddress.Parse("172.18.0.2"));
        _firewall.Ports.Add(new PublishedPort(Web, IPAddress.Loopback, 1, IPAddress.Parse("172.18.0.9"))); // a crash's leftover
        Assert.Empty(_publisher.Restore(new Dictionary<string, System.Collections.Immutable.ImmutableArray<PublishedPort>> { ["c1"] = [port] }));
        Assert.Equal([port], _firewall.Ports);
        Assert.Equal(1, _allocator.Count);
    }

    private sealed class RecordingFirewall : INetworkFirewall
    {
        public List<PublishedPort> Ports { get; } = [];

        public bool Fail { get; set; }

        public void Initialize()
        {
        }

        public FirewallHealth Inspect() => FirewallHealth.Disabled;

        public void AddBridge(BridgeRules rules)
        {
        }

        public void RemoveBridge(BridgeRules rules)
        {
        }

        public bool HasBridge(BridgeRules rules) => true;

        public void AddPorts(IReadOnlyCollection<PublishedPort> ports)
        {
            if (Fail)
            {
                throw new BerthException(ErrorKind.Conflict, "nft refused");
            }

            Ports.AddRange(ports);
        }

        public void RemovePorts(IReadOnlyCollection<PublishedPort> ports) => Ports.RemoveAll(ports.Contains);

        public void ReplacePorts(IReadOnlyCollection<PublishedPort> ports)
        {
            Ports.Clear();
            Ports.AddRange(ports);
        }

        public void AddEntry(string iface)
        {
        }

        public void RemoveEntry(string iface)
        {
        }

        public void RemoveAll() => Ports.Clear();
    }
}
