using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Firewall;
using Berth.Network.Networks;
using Berth.Runtime.Engine;

namespace Berth.Diagnostics;

/// <summary>
/// What berthd lets its diagnostics look at: the store's networks and containers, the host namespace (links, routes,
/// sysctls, nftables), Berth's firewall, and the swarm when this node is in one. Doctor checks and the topology read
/// through it and change nothing.
/// </summary>
public sealed class DiagnosticSources
{
    public required INetworkService Networks { get; init; }

    public required IContainerQueries Containers { get; init; }

    /// <summary>The host's network namespace (the one berthd runs in).</summary>
    public required NetworkNamespace Host { get; init; }

    /// <summary>The network drivers: checks ask a network's capabilities, never its driver's name, where a capability says it.</summary>
    public required Network.Drivers.NetworkDriverRegistry Drivers { get; init; }

    public INetworkFirewall? Firewall { get; init; }

    /// <summary>The swarm this node may be in; null where berthd has none (tests of a single host).</summary>
    public ISwarm? Swarm { get; init; }

    /// <summary>Asks a manager's etcd member (by client URL) whether it answers and sees a leader; null where berthd has no swarm.</summary>
    public Func<Uri, CancellationToken, Task<EtcdMemberStanding>>? EtcdMembers { get; init; }

    /// <summary>Services and their tasks; null outside a cluster-capable daemon.</summary>
    public IServices? Services { get; init; }

    /// <summary>The nodes with endpoints on a swarm-scoped network, as (name, tunnel address). Null: none known.</summary>
    public Func<NetworkState, IReadOnlyList<(string Name, string Address)>>? NetworkPeers { get; init; }

    /// <summary>The endpoints other nodes have on a swarm-scoped network (their containers' names and addresses). Null: none known.</summary>
    public Func<NetworkId, IReadOnlyCollection<Network.Cluster.RemoteEndpoint>>? RemoteEndpoints { get; init; }

    /// <summary>The Debian paths of dnsmasq's and ISC dhcpd's lease files: where a DHCP server on this host keeps them.</summary>
    public static readonly IReadOnlyList<string> DefaultDhcpLeaseFiles = ["/var/lib/misc/dnsmasq.leases", "/var/lib/dhcp/dhcpd.leases"];

    /// <summary>
    /// Lease files of a DHCP server serving a macvlan network's LAN (berthd's <c>--dhcp-lease-file</c>): containers'
    /// addresses leased to someone else, or inside the leased range, are reported. Files that do not exist are skipped.
    /// </summary>
    public IReadOnlyList<string> DhcpLeaseFiles { get; init; } = DefaultDhcpLeaseFiles;

    /// <summary>Runs the probes' work inside containers' namespaces (sockets made there, then used from any thread).</summary>
    public NamespaceRunner Runner { get; init; } = NamespaceRunner.Shared;

    /// <summary>The embedded DNS resolver's upstream servers (berthd's <c>--dns</c> or the host's resolv.conf).</summary>
    public IReadOnlyList<System.Net.IPEndPoint> DnsUpstreams { get; init; } = [];
}
