using System.Collections.Immutable;
using System.Net;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux;
using Berth.Linux.Addresses;
using Berth.Linux.Interop;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Network.Endpoints;
using Berth.Network.Firewall;

namespace Berth.Network.Drivers;

/// <summary>
/// Bridge networks: a Linux bridge holding the gateway addresses, and the network's entries in
/// Berth's nftables sets (masquerade, isolation, internal, inter-container communication).
/// </summary>
public sealed class BridgeDriver(NetworkNamespace host, INetworkFirewall firewall, LinkReaper reaper) : INetworkDriver
{
    /// <summary>Default MTU of a bridge (Ethernet).</summary>
    public const int DefaultMtu = 1500;

    /// <summary>IPv4 needs at least 68 (RFC 791); a bridge takes at most 65535.</summary>
    private const int MinMtu = 68;
    private const int MaxMtu = 65535;

    public string Name => NetworkDrivers.Bridge;

    public NetworkDriverCapabilities Capabilities { get; } = new()
    {
        ConnectsContainers = true,
        PublishesPorts = true,
        EmbeddedDns = true,
        NeedsGateway = true,
    };

    public BridgeRules? FirewallRules(NetworkState network) => Rules(network);

    public SubnetAllocation AddressPool(NetworkState network, SubnetAllocation subnet) => subnet;

    /// <summary>The veth's host end: <c>veth</c> and 7 random hex digits, as Docker names it.</summary>
    public EndpointPlan PlanEndpoint(NetworkState network, string containerId) =>
        new("veth" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))[..7]);

    public IReadOnlyDictionary<string, string> Plan(NetworkConfig config, NetworkId id, IReadOnlyCollection<NetworkState> existing)
    {
        var problems = new List<string>();
        var options = config.Options;
        DriverOptions.RejectUnknown(Name, options, BridgeOptions.Known, problems);
        DriverOptions.Bool(options, BridgeOptions.EnableIcc, true, problems);
        DriverOptions.Bool(options, BridgeOptions.EnableIpMasquerade, true, problems);
        DriverOptions.Bool(options, BridgeOptions.DefaultBridge, false, problems);
        DriverOptions.Int(options, BridgeOptions.Mtu, MinMtu, MaxMtu, problems);
        if (options.TryGetValue(BridgeOptions.HostBindingIpv4, out string? binding) && !IPAddress.TryParse(binding, out _))
        {
            problems.Add($"option {BridgeOptions.HostBindingIpv4}=\"{binding}\" is not an IP address");
        }

        string bridge = options.TryGetValue(BridgeOptions.Name, out string? requested) ? requested : "br-" + id.Short;
        if (LinkName.Problem(bridge) is { } nameProblem)
        {
            problems.Add($"option {BridgeOptions.Name}: {nameProblem}");
        }
        else
        {
            var owner = existing.FirstOrDefault(n => n.Driver == Name && n.DriverState.GetValueOrDefault(BridgeOptions.StateBridge) == bridge);
            if (owner is not null)
            {
                problems.Add($"bridge \"{bridge}\" is already used by network \"{owner.Name}\"; choose another {BridgeOptions.Name}");
            }
            else if (host.Links.TryGet(bridge) is { } link && !IsDefaultBridge(config))
            {
                problems.Add($"a link named \"{bridge}\" already exists on the host (kind {link.Kind ?? "device"}); choose another {BridgeOptions.Name} or remove it");
            }
        }

        DriverOptions.ThrowIfAny(config.Name, problems);
        return ImmutableDictionary<string, string>.Empty.Add(BridgeOptions.StateBridge, bridge);
    }

    public void Create(NetworkState network)
    {
        string bridge = BridgeOf(network);
        if (IsDefaultBridge(network.Config))
        {
            // A device of the default bridge's name with no record can only be a leftover of ours (e.g. state wiped): start clean.
            host.Links.TryDelete(bridge);
        }

        try
        {
            host.Links.Create(new BridgeSpec(bridge) { Mtu = Mtu(network), Up = true });
            AllowLoopbackSources(bridge);
            ForwardIPv6If(network);
            AddGateways(network, bridge);
            firewall.AddBridge(Rules(network));
        }
        catch (BerthException)
        {
            TryDelete(network, bridge);
            throw;
        }
    }

    public void Delete(NetworkState network)
    {
        string bridge = BridgeOf(network);
        var errors = new List<string>();
        try
        {
            firewall.RemoveBridge(Rules(network));
        }
        catch (BerthException e)
        {
            errors.Add(e.Message);
        }

        try
        {
            // Down and renamed now (the name is free at once); the kernel's slow unregister runs in the background.
            reaper.Reap(bridge);
        }
        catch (BerthException e)
        {
            errors.Add(e.Message);
        }

        if (errors.Count > 0)
        {
            throw new BerthException(ErrorKind.Internal, $"network \"{network.Name}\": removing its kernel objects failed: {string.Join("; ", errors)}");
        }
    }

    /// <summary>Veths enslaved to the network's bridge that no endpoint names: reaped (other tools' veths are on their own bridges).</summary>
    public IReadOnlyList<string> RemoveStrays(NetworkState network, IReadOnlySet<string> hostInterfaces)
    {
        ArgumentNullException.ThrowIfNull(hostInterfaces);
        if (host.Links.TryGet(BridgeOf(network)) is not { } bridge)
        {
            return [];
        }

        var strays = host.Links.List().Where(l => l.Kind == "veth" && l.MasterIndex == bridge.Index && !hostInterfaces.Contains(l.Name)).Select(l => l.Name).ToList();
        foreach (string stray in strays)
        {
            reaper.Reap(stray);
        }

        return strays;
    }

    public IReadOnlyList<string> Reconcile(NetworkState network)
    {
        string bridge = BridgeOf(network);
        var repaired = new List<string>();
        var link = host.Links.TryGet(bridge);
        if (link is null)
        {
            host.Links.Create(new BridgeSpec(bridge) { Mtu = Mtu(network), Up = true });
            repaired.Add($"bridge {bridge} re-created");
        }
        else if (!link.IsUp)
        {
            host.Links.SetUp(bridge);
            repaired.Add($"bridge {bridge} brought up");
        }

        if (!host.Sysctls.GetRouteLocalnet(bridge))
        {
            AllowLoopbackSources(bridge);
            repaired.Add($"route_localnet turned on for {bridge}");
        }

        ForwardIPv6If(network);

        var present = host.Rtnl.Addresses.List(bridge).Select(a => a.Address).ToHashSet();
        foreach (var gateway in Gateways(network).Where(g => !present.Contains(g)))
        {
            host.Rtnl.Addresses.Add(bridge, gateway, GatewayFlags(gateway));
            repaired.Add($"gateway {gateway} re-added to {bridge}");
        }

        var rules = Rules(network);
        if (!firewall.HasBridge(rules))
        {
            firewall.AddBridge(rules);
            repaired.Add($"firewall entries of {bridge} re-added");
        }

        return repaired;
    }

    public void Join(NetworkState network, EndpointState endpoint, NetworkNamespace container)
    {
        string hostEnd = endpoint.HostInterface ?? throw new BerthException(ErrorKind.Internal, $"endpoint {endpoint.EndpointId} has no host interface");

        // One RTM_NEWLINK: the container end is born inside its namespace with its name and MAC; the host end joins the bridge, up.
        host.Links.Create(new VethSpec(hostEnd, endpoint.InterfaceName)
        {
            PeerNamespace = container.Handle,
            PeerMacAddress = EndpointWiring.Mac(endpoint),
            Mtu = Mtu(network),
            Master = BridgeOf(network),
            Up = true,
        });
        try
        {
            // A container reaches its own published ports through the host's addresses: the DNATed packet
            // goes back out of the port it came in by.
            host.Links.SetHairpin(hostEnd, true);
            EndpointWiring.Configure(container, endpoint);
        }
        catch (BerthException)
        {
            host.Links.TryDelete(hostEnd);
            throw;
        }
    }

    /// <summary>
    /// Takes the endpoint out of the container at once and deletes its veth in the background: a DELLINK
    /// blocks 10–40 ms while the kernel unregisters the pair (RCU waits), and moving the container end out
    /// costs as much. Both ends are taken down now — no packet passes and the container's routes through
    /// it are gone — and the container end is renamed <c>bx-…</c>, so its name is free for the next
    /// connect; the <see cref="LinkReaper"/> then deletes the pair through its host end (also renamed
    /// <c>bx-…</c>, which a berthd started after a crash sweeps).
    /// </summary>
    public void Leave(NetworkState network, EndpointState endpoint, NetworkNamespace container)
    {
        if (endpoint.HostInterface is not { } hostEnd)
        {
            return;
        }

        if (container.Links.TryGet(endpoint.InterfaceName) is { } inside)
        {
            container.Links.SetDown(LinkRef.ByIndex(inside.Index));
            container.Links.Rename(LinkRef.ByIndex(inside.Index), LinkReaper.GraveName());
        }

        // Deleting either end of a veth removes both.
        reaper.Reap(hostEnd);
    }

    private static bool IsDefaultBridge(NetworkConfig config) =>
        config.Options.TryGetValue(BridgeOptions.DefaultBridge, out string? text) && bool.TryParse(text, out bool isDefault) && isDefault;

    internal static string BridgeOf(NetworkState network) =>
        network.DriverState.TryGetValue(BridgeOptions.StateBridge, out string? bridge) ? bridge
            : throw new BerthException(ErrorKind.Internal, $"network \"{network.Name}\" has no bridge in its state");

    private static int Mtu(NetworkState network) =>
        network.Config.Options.TryGetValue(BridgeOptions.Mtu, out string? text) && int.TryParse(text, out int mtu) ? mtu : DefaultMtu;

    /// <summary>
    /// Published ports are reachable from the host's loopback (127.0.0.1:8080): the DNATed packet keeps its
    /// 127.0.0.1 source until postrouting masquerades it, and the kernel routes such a packet out of an
    /// interface only with route_localnet on it. Berth's firewall drops loopback destinations arriving from
    /// a bridge, so containers gain no way to the host's loopback services by it.
    /// </summary>
    private void AllowLoopbackSources(string bridge) => host.Sysctls.SetRouteLocalnet(bridge, true);

    /// <summary>
    /// An IPv6 network routes through the host as an IPv4 one does, so IPv6 forwarding goes on with the first
    /// (as Docker does with --ipv6; a host that takes its own address from router advertisements then needs
    /// accept_ra=2 on that interface). Networks without IPv6 leave the setting alone.
    /// </summary>
    private void ForwardIPv6If(NetworkState network)
    {
        if (network.Subnets.Any(s => s.Subnet.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) && !host.Sysctls.GetIPv6Forwarding())
        {
            host.Sysctls.SetIPv6Forwarding(true);
        }
    }

    private void AddGateways(NetworkState network, string bridge)
    {
        foreach (var gateway in Gateways(network))
        {
            host.Rtnl.Addresses.Add(bridge, gateway, GatewayFlags(gateway));
        }
    }

    private static AddressFlags GatewayFlags(IPPrefix gateway) => gateway.IsIPv4 ? AddressFlags.None : AddressFlags.NoDad;

    private static IEnumerable<IPPrefix> Gateways(NetworkState network) =>
        network.Subnets.Where(s => s.Gateway is not null).Select(s => new IPPrefix(s.Gateway!, s.Subnet.PrefixLength));

    internal static BridgeRules Rules(NetworkState network)
    {
        var options = network.Config.Options;
        var ignored = new List<string>();
        return new BridgeRules(
            BridgeOf(network),
            [.. network.Subnets.Select(s => s.Subnet)],
            Masquerade: DriverOptions.Bool(options, BridgeOptions.EnableIpMasquerade, true, ignored) && !network.Config.Internal,
            InterContainerCommunication: DriverOptions.Bool(options, BridgeOptions.EnableIcc, true, ignored),
            Internal: network.Config.Internal);
    }

    private void TryDelete(NetworkState network, string bridge)
    {
        try
        {
            firewall.RemoveBridge(Rules(network));
        }
        catch (BerthException)
        {
            // best effort: the original failure is what the caller sees
        }

        try
        {
            host.Links.TryDelete(bridge);
        }
        catch (KernelException e) when (e.Errno != Errno.None)
        {
            // best effort, as above
        }
    }

    public NetworkHostView Describe(NetworkState network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new NetworkHostView
        {
            Bridge = BridgeOf(network),
            HostReachesContainers = true,
            Mtu = Mtu(network),
            ContainersIsolated = !DriverOptions.Bool(network.Config.Options, BridgeOptions.EnableIcc, true, []),
        };
    }
}
