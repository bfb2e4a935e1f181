using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Net.NetworkInformation;
using Berth.Core.Addressing;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Links;
using Berth.Linux.Namespaces;
using Berth.Network.Cluster;
using Berth.Network.Endpoints;
using Berth.Network.Firewall;
using Berth.Network.Overlay;

namespace Berth.Network.Drivers;

/// <summary>
/// Overlay networks: one VXLAN segment per network across the cluster (its VNI decided at create, unique by the create's
/// compare-and-swap on the cluster's subnet claims), and on each node that has endpoints on it a sandbox — a namespace
/// with a bridge and the VXLAN device (<see cref="OverlaySandboxes"/>) — made at the first local endpoint and removed
/// after the last. Other nodes' endpoints are programmed statically from the cluster store (FDB and neighbour
/// entries): no learning, no flooding. The MTU is the underlay's (the link holding this node's tunnel address) minus
/// the VXLAN overhead unless the user set one, which may not exceed it.
/// </summary>
/// <remarks>
/// An encrypted network (<c>--opt encrypted</c>) gets the sealed data path (<see cref="Overlay.Sealed.SealedPath"/>) in its
/// sandboxes instead of the kernel's VXLAN, and an MTU that leaves room for its larger overhead.
/// </remarks>
/// <param name="encryption">Whether this node can carry encrypted networks (it has a sealed data path).</param>
public sealed class OverlayDriver(NetworkNamespace host, OverlaySandboxes sandboxes, ClusterLinkSource cluster, RemoteEndpointTable remote, bool encryption = false)
    : INetworkDriver, IRemoteEndpointDriver
{
    private const int MinMtu = 576;
    private readonly ConcurrentDictionary<NetworkId, Lock> _locks = new();

    public string Name => NetworkDrivers.Overlay;

    public NetworkDriverCapabilities Capabilities { get; } = new()
    {
        ConnectsContainers = true,
        EmbeddedDns = true,
        NeedsGateway = true,
        EgressThroughGatewayBridge = true,
        Scope = NetworkDriverScope.Swarm,
    };

    public IReadOnlyDictionary<string, string> Plan(NetworkConfig config, NetworkId id, IReadOnlyCollection<NetworkState> existing)
    {
        var problems = new List<string>();
        var options = config.Options;
        DriverOptions.RejectUnknown(Name, options, OverlayOptions.Known, problems);
        bool encrypted = options.ContainsKey(OverlayOptions.Encrypted);
        if (encrypted && !encryption)
        {
            problems.Add("this node has no sealed data path for encrypted overlay networks (--opt encrypted), and Berth never carries a network asked to be encrypted in the clear. Create it on a node started with it, or without --opt encrypted");
        }

        int underlay = UnderlayMtu();
        int overhead = OverlayOptions.OverheadOf(encrypted);
        if (DriverOptions.Int(options, OverlayOptions.Mtu, MinMtu, 65535, problems) is { } mtu && mtu > underlay - overhead)
        {
            problems.Add($"option {OverlayOptions.Mtu}={mtu} is larger than this node's underlay allows: the underlay MTU is {underlay} and {(encrypted ? "the sealed data path" : "VXLAN")} takes {overhead} bytes, so use at most {underlay - overhead}");
        }

        var taken = existing.Where(n => n.Driver == Name && n.DriverState.ContainsKey(OverlayOptions.StateVni))
            .ToDictionary(n => uint.Parse(n.DriverState[OverlayOptions.StateVni], CultureInfo.InvariantCulture), n => n.Name);
        uint vni = OverlayOptions.FirstVni;
        if (options.TryGetValue(OverlayOptions.VxlanIdList, out string? asked))
        {
            if (!uint.TryParse(asked.Split(',')[0], NumberStyles.None, CultureInfo.InvariantCulture, out vni) || vni < 1 || vni > VxlanSpec.MaxVni)
            {
                problems.Add($"option {OverlayOptions.VxlanIdList}=\"{asked}\" must be a VNI from 1 to {VxlanSpec.MaxVni}");
            }
            else if (taken.TryGetValue(vni, out string? owner))
            {
                problems.Add($"VXLAN id {vni} is already used by network \"{owner}\"");
            }
        }
        else
        {
            while (taken.ContainsKey(vni))
            {
                vni++;
            }
        }

        DriverOptions.ThrowIfAny(config.Name, problems);
        return ImmutableDictionary<string, string>.Empty.Add(OverlayOptions.StateVni, vni.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Nothing cluster-wide to make: each node makes its sandbox with its first endpoint.</summary>
    public void Create(NetworkState network)
    {
    }

    public void Delete(NetworkState network)
    {
        ArgumentNullException.ThrowIfNull(network);
        lock (LockOf(network.Id))
        {
            sandboxes.Remove(network.Id);
        }
    }

    public IReadOnlyList<string> Reconcile(NetworkState network) => [];

    public IReadOnlyList<string> RemoveStrays(NetworkState network, IReadOnlySet<string> hostInterfaces) => [];

    public BridgeRules? FirewallRules(NetworkState network) => null;

    public SubnetAllocation AddressPool(NetworkState network, SubnetAllocation subnet) => subnet;

    /// <summary>The sandbox end of the container's veth.</summary>
    public EndpointPlan PlanEndpoint(NetworkState network, string containerId) =>
        new("veth" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))[..7]);

    public void Join(NetworkState network, EndpointState endpoint, NetworkNamespace container)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(endpoint);
        string end = endpoint.HostInterface ?? throw new BerthException(ErrorKind.Internal, $"endpoint {endpoint.EndpointId} has no sandbox interface");
        var spec = Spec(network);
        lock (LockOf(network.Id))
        {
            // Made or repaired now (a re-made vxlan0 lost its entries): then the whole set is programmed.
            bool fresh = !sandboxes.Exists(network.Id);
            fresh |= sandboxes.Ensure(spec).Count > 0;
            sandboxes.Join(spec, endpoint, end, container);
            if (fresh)
            {
                // Under the network's lock: a remote endpoint added meanwhile is either in this snapshot or told after it.
                sandboxes.SetPeers(network.Id, [.. remote.Of(network.Id).Select(Peer)]);
            }
        }
    }

    public void Leave(NetworkState network, EndpointState endpoint, NetworkNamespace container) => LeaveSandbox(network, endpoint, container);

    /// <summary>The container is gone: its veth's sandbox end goes now (the kernel frees a dead namespace's links later), and the sandbox after the last.</summary>
    public void Released(NetworkState network, EndpointState endpoint) => LeaveSandbox(network, endpoint, null);

    private void LeaveSandbox(NetworkState network, EndpointState endpoint, NetworkNamespace? container)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.HostInterface is not { } end)
        {
            return;
        }

        lock (LockOf(network.Id))
        {
            sandboxes.Leave(network.Id, endpoint, end, container);
            if (sandboxes.Exists(network.Id) && sandboxes.LocalEndpoints(network.Id) == 0)
            {
                sandboxes.Remove(network.Id);
            }
        }
    }

    public void RemoteAdded(NetworkState network, RemoteEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(network);
        lock (LockOf(network.Id))
        {
            if (sandboxes.Exists(network.Id))
            {
                sandboxes.AddPeer(network.Id, Peer(endpoint));
            }
        }
    }

    public void RemoteRemoved(NetworkState network, RemoteEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(network);
        lock (LockOf(network.Id))
        {
            if (sandboxes.Exists(network.Id))
            {
                sandboxes.RemovePeer(network.Id, Peer(endpoint));
            }
        }
    }

    public IReadOnlyList<string> Resync(IReadOnlyCollection<NetworkState> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        var changes = new List<string>(sandboxes.RemoveLeftovers());
        var known = networks.ToDictionary(n => n.Id);
        foreach (var id in sandboxes.List())
        {
            lock (LockOf(id))
            {
                if (!known.TryGetValue(id, out var network) || sandboxes.LocalEndpoints(id) == 0)
                {
                    sandboxes.Remove(id);
                    changes.Add($"sandbox of network {id.Short} removed: {(network is null ? "the network is gone" : "no container of this node is on it")}");
                    continue;
                }

                changes.AddRange(sandboxes.Ensure(Spec(network)));
                sandboxes.SetPeers(id, [.. remote.Of(id).Select(Peer)]);
            }
        }

        return changes;
    }

    /// <summary>The network's MTU on this node: the user's, else the underlay's minus the VXLAN overhead.</summary>
    public int Mtu(NetworkState network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Config.Options.TryGetValue(OverlayOptions.Mtu, out string? text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int mtu)
            ? mtu
            : UnderlayMtu() - OverlayOptions.OverheadOf(Encrypted(network));
    }

    private static bool Encrypted(NetworkState network) => network.Config.Options.ContainsKey(OverlayOptions.Encrypted);

    private OverlaySandboxSpec Spec(NetworkState network)
    {
        var link = cluster.Current ?? throw new BerthException(ErrorKind.Unavailable, Networks.NetworkManager.SwarmRequired);
        uint vni = network.DriverState.TryGetValue(OverlayOptions.StateVni, out string? text) ? uint.Parse(text, CultureInfo.InvariantCulture)
            : throw new BerthException(ErrorKind.Internal, $"network \"{network.Name}\" has no VXLAN id in its state");
        var gateways = network.Subnets.Where(s => s.Gateway is not null).Select(s => new IPPrefix(s.Gateway!, s.Subnet.PrefixLength)).ToImmutableArray();
        return new OverlaySandboxSpec(network.Id, vni, gateways, Mtu(network), link.Vtep, link.DataPathPort) { Encrypted = Encrypted(network) };
    }

    private int UnderlayMtu()
    {
        var link = cluster.Current ?? throw new BerthException(ErrorKind.Unavailable, Networks.NetworkManager.SwarmRequired);
        return Overlay.UnderlayMtu.Of(host, link.Vtep);
    }

    private Lock LockOf(NetworkId network) => _locks.GetOrAdd(network, _ => new Lock());

    private static OverlayPeer Peer(RemoteEndpoint endpoint) =>
        new(endpoint.IPv4 ?? endpoint.IPv6 ?? System.Net.IPAddress.None, PhysicalAddress.Parse(endpoint.MacAddress.Replace(':', '-')), endpoint.Vtep);

    public NetworkHostView Describe(NetworkState network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new NetworkHostView
        {
            Sandbox = OverlaySandboxes.NamespaceName(network.Id),
            Vni = network.DriverState.TryGetValue(OverlayOptions.StateVni, out string? text) ? uint.Parse(text, CultureInfo.InvariantCulture) : null,
            // Without a cluster link (this node left the swarm) the underlay, and so the MTU, is unknown.
            Mtu = cluster.Current is null ? null : Mtu(network),
            UnderlayMtu = cluster.Current is null ? null : UnderlayMtu(),
            Overhead = OverlayOptions.OverheadOf(Encrypted(network)),
        };
    }
}
