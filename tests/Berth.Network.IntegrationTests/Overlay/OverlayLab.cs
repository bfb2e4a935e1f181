using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.IntegrationTests.Fixtures;
using Berth.Linux.Namespaces;
using Berth.Network.Endpoints;
using Berth.Network.Overlay;

namespace Berth.Network.IntegrationTests.Overlay;

/// <summary>
/// Lab hosts on one underlay LAN (192.168.60.0/24, eth0 on each), each running its own
/// <see cref="OverlaySandboxes"/> over a namespace directory of its own, and "containers": namespaces the
/// test makes, joined to overlays on a host. Dispose removes every container and sandbox (best effort; a
/// test asserts the clean state itself).
/// </summary>
internal sealed class OverlayLab : IDisposable
{
    public const string Underlay = "192.168.60";

    private readonly NamespaceManager _containers;
    private readonly List<Container> _made = [];

    public OverlayLab(Lab lab, NamespaceManager containers, string testRoot, NamespaceRunner runner, int hosts, int? underlayMtu = null)
    {
        _containers = containers;
        var lan = lab.AddLan("underlay");
        Lan = lan;
        for (int i = 1; i <= hosts; i++)
        {
            var labHost = lab.AddHost("h" + i);
            lab.Connect(labHost, lan, "eth0", $"{Underlay}.{i}/24");
            if (underlayMtu is { } mtu)
            {
                labHost.Ip("link", "set", "eth0", "mtu", mtu.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            Hosts.Add(new OverlayHost(labHost, IPAddress.Parse($"{Underlay}.{i}"), Path.Combine(testRoot, "h" + i), runner, Ring));
        }

        if (underlayMtu is { } lanMtu)
        {
            // The LAN's ports too, so that nothing larger than the underlay's MTU could cross it.
            foreach (string port in Cmd.Check("ip", "-n", lan.NetnsName, "-o", "link", "show", "type", "veth").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(": ")[1].Split('@')[0]))
            {
                Cmd.Check("ip", "-n", lan.NetnsName, "link", "set", port, "mtu", lanMtu.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    public List<OverlayHost> Hosts { get; } = [];

    /// <summary>The key ring of the lab's "cluster", for encrypted networks.</summary>
    public Berth.Network.Overlay.Sealed.OverlayKeyRing Ring { get; } = Berth.Network.Overlay.Sealed.OverlayKeyRing.New(DateTimeOffset.UtcNow);

    /// <summary>The underlay LAN, for more lab hosts (a client) beside the overlay hosts.</summary>
    public LabLan Lan { get; }

    public OverlayHost this[int host] => Hosts[host - 1];

    /// <summary>A spec for <paramref name="network"/> on <paramref name="host"/>: subnet 10.0.0.0/24 by default, gateway .1.</summary>
    public static OverlaySandboxSpec Spec(NetworkId network, OverlayHost host, uint vni, int mtu = 1450, string gateway = "10.0.0.1/24", bool encrypted = false) =>
        new(network, vni, [IPPrefix.Parse(gateway)], mtu, host.Vtep) { Encrypted = encrypted };

    /// <summary>A container namespace joined to the overlay on <paramref name="host"/> at 10.0.0.<paramref name="address"/>.</summary>
    public Container Join(OverlayHost host, OverlaySandboxSpec spec, int address, string subnet = "10.0.0")
    {
        string name = $"c{_made.Count + 1}";
        var ns = NetworkNamespace.Create(_containers, name);
        var container = new Container(name, ns, host, spec.Network, Endpoint(spec.Network, name, $"{subnet}.{address}"), "veth" + name);
        _made.Add(container);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        host.Sandboxes.Join(spec, container.Endpoint, container.SandboxEnd, ns);
        var joined = container with { JoinMilliseconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds };
        _made[_made.IndexOf(container)] = joined;
        return joined;
    }

    /// <summary>
    /// c1 on h1 at 10.0.0.2 and c2 on h2 at 10.0.0.3 on a new overlay, each host told of the other's container;
    /// <c>Spec</c> is h1's.
    /// </summary>
    public (NetworkId Network, OverlaySandboxSpec Spec, Container C1, Container C2) Pair(uint vni, int mtu = 1450, bool encrypted = false)
    {
        var network = NetworkId.New();
        var spec = Spec(network, this[1], vni, mtu, encrypted: encrypted);
        var c1 = Join(this[1], spec, 2);
        var c2 = Join(this[2], Spec(network, this[2], vni, mtu, encrypted: encrypted), 3);
        this[1].Sandboxes.SetPeers(network, [PeerOf(c2)]);
        this[2].Sandboxes.SetPeers(network, [PeerOf(c1)]);
        return (network, spec, c1, c2);
    }

    /// <summary>The peer <paramref name="container"/> is to the other hosts.</summary>
    public static OverlayPeer PeerOf(Container container) =>
        new(container.Address, EndpointWiring.Mac(container.Endpoint), container.Host.Vtep);

    public static EndpointState Endpoint(NetworkId network, string container, string address)
    {
        var ip = IPAddress.Parse(address);
        byte[] bytes = ip.GetAddressBytes();
        return new EndpointState
        {
            EndpointId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ContainerId = container,
            NetworkId = network,
            InterfaceName = "eth0",
            IPv4 = new IPPrefix(ip, 24),
            MacAddress = $"02:42:{bytes[0]:x2}:{bytes[1]:x2}:{bytes[2]:x2}:{bytes[3]:x2}",
        };
    }

    /// <summary>Leaves and deletes one container.</summary>
    public void Remove(Container container)
    {
        container.Host.Sandboxes.Leave(container.Network, container.Endpoint, container.SandboxEnd, container.Namespace);
        container.Namespace.Dispose();
        _containers.Delete(container.Name);
        _made.Remove(container);
    }

    public void Dispose()
    {
        foreach (var container in _made.ToList())
        {
            try
            {
                Remove(container);
            }
            catch (BerthException)
            {
                // best effort: the lab's teardown reports what is left
            }
        }

        foreach (var host in Hosts)
        {
            host.Dispose();
        }
    }

    /// <summary>A container of the lab: its namespace, where it runs, its endpoint.</summary>
    internal sealed record Container(string Name, NetworkNamespace Namespace, OverlayHost Host, NetworkId Network, EndpointState Endpoint, string SandboxEnd)
    {
        /// <summary>How long its <see cref="OverlaySandboxes.Join"/> took.</summary>
        public double JoinMilliseconds { get; init; }

        public IPAddress Address => Endpoint.IPv4!.Value.Address;

        public string Path => Namespace.Handle.Path;

        public bool Ping(IPAddress target) => InNetns.Ping(Path, target.ToString());

        public bool Ping(Container target) => Ping(target.Address);

        public bool PingWithin(Container target, TimeSpan timeout) => InNetns.PingWithin(Path, target.Address.ToString(), timeout);
    }
}
