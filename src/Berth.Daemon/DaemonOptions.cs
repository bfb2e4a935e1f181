using System.Collections.Immutable;
using Berth.Network.Ipam;
using Berth.Runtime.Containers;
using Berth.Runtime.Logging;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon;

/// <summary>berthd's options, from its command line.</summary>
public sealed record DaemonOptions
{
    public const string DefaultSocket = "unix:///run/berth/berth.sock";

    /// <summary>Where to listen: <c>unix:///path</c> or <c>tcp://IP:PORT</c> (repeatable).</summary>
    public ImmutableArray<string> Hosts { get; init; } = [DefaultSocket];

    /// <summary>TLS on the TCP listeners (<c>--tls</c>, <c>--tlsverify</c>); null: plain HTTP there.</summary>
    public Api.Hosting.ApiTls? Tls { get; init; }

    /// <summary>TCP listeners that do not check clients' certificates: berthd warns about each as dockerd does.</summary>
    public ImmutableArray<string> UnauthenticatedTcp { get; init; } = [];

    /// <summary>Persistent state (the store, the lock).</summary>
    public string Root { get; init; } = "/var/lib/berth";

    /// <summary>Runtime state (sockets, namespaces).</summary>
    public string ExecRoot { get; init; } = "/run/berth";

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Empty means Docker's defaults.</summary>
    public ImmutableArray<DefaultAddressPool> DefaultAddressPools { get; init; } = [];

    /// <summary>Upstream servers of the embedded DNS resolver (<c>--dns</c>); empty means the host's /etc/resolv.conf nameservers.</summary>
    public ImmutableArray<System.Net.IPAddress> Dns { get; init; } = [];

    public FirewallMode Firewall { get; init; } = FirewallMode.Nftables;

    /// <summary>The OCI runtimes containers may choose (<c>--add-runtime</c>; runc, and crun when installed) and the default (<c>--default-runtime</c>).</summary>
    public OciRuntimes Runtimes { get; init; } = OciRuntimes.RuncOnly;

    /// <summary>
    /// A container's log is bounded to this many bytes (conmon <c>--log-size-max</c>): past it the log
    /// starts over. Docker's json-file default is unbounded; 64 MiB keeps a chatty container from filling the disk.
    /// </summary>
    public long ContainerLogSizeMax { get; init; } = 64L * 1024 * 1024;

    /// <summary>The log driver and options of containers created without <c>--log-driver</c> (<c>--log-driver</c>, <c>--log-opt</c>).</summary>
    public LogConfig LogConfig { get; init; } = LogConfig.Default;

    /// <summary>An etcd the user runs that the swarm lives in (<c>--cluster-store</c>, <c>--cluster-store-opt</c>); null: managers run its etcd.</summary>
    public Berth.Cluster.Swarm.ExternalClusterStore? ClusterStore { get; init; }

    /// <summary>
    /// Lease files of a DHCP server on this host serving a macvlan network's LAN, read by <c>berth doctor</c>
    /// (<c>--dhcp-lease-file</c>); empty means dnsmasq's and ISC dhcpd's Debian paths.
    /// </summary>
    public ImmutableArray<string> DhcpLeaseFiles { get; init; } = [];

    /// <summary>How registries are reached: dockerd's <c>--insecure-registry</c> ones over plain HTTP.</summary>
    public Berth.Runtime.Images.RegistryEndpoint Registries { get; init; } = Berth.Runtime.Images.RegistryEndpoint.Default;

    /// <summary>dockerd's <c>--userns-remap</c>: containers in user namespaces of this user's subordinate ids; null: none.</summary>
    public Berth.Runtime.Users.UsernsRemap? UsernsRemap { get; init; }

    /// <summary>How often managers add a key to the encrypted overlays' ring (<c>--overlay-key-rotation</c>; Docker: 12 hours).</summary>
    public TimeSpan OverlayKeyRotation { get; init; } = TimeSpan.FromHours(12);
}
