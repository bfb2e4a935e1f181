using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Berth.Cluster.Etcd;
using Berth.Cluster.Pki;
using Berth.Core.Errors;
using Berth.Store;
using Microsoft.Extensions.Logging;

namespace Berth.Cluster.Swarm;

/// <summary>
/// The real <see cref="IClusterBackend"/>: a manager's etcd member (<see cref="EtcdMember"/>, client URL
/// <c>https://ADVERTISE:2379</c>, peers on 2380, data in <c>ROOT/swarm/etcd</c>), the cluster store
/// (<see cref="EtcdStateStore"/> over gRPC with the node's certificate) and etcd's membership API. With an
/// <paramref name="externalStore"/> (<c>--cluster-store</c>) it starts no member on any node and connects to that etcd
/// with the credentials of its <c>--cluster-store-opt</c>.
/// </summary>
public sealed class EtcdClusterBackend(ILoggerFactory loggerFactory, string etcdBinary = "etcd", ExternalClusterStore? externalStore = null) : IClusterBackend
{
    public ExternalClusterStore? ExternalStore => externalStore;

    public async Task<string> IdentifyExternalStoreAsync(CancellationToken cancellationToken = default)
    {
        ExternalClusterStore store = externalStore ?? throw new InvalidOperationException("berthd runs without --cluster-store");
        var (certificate, ca) = store.LoadCredentials();
        try
        {
            using var members = new EtcdMembership(store.Endpoints, certificate, ca);
            return await members.ClusterIdAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            throw new BerthException(e.Kind, $"the cluster store {store.Url} (--cluster-store) does not answer: {e.Message}", e);
        }
        finally
        {
            certificate?.Dispose();
            ca?.Dispose();
        }
    }

    /// <summary>
    /// The external store alone (<c>--cluster-store</c> on a node in no swarm: overlay networks without swarm mode), with
    /// the flags' credentials; InvalidArgument without one. The caller disposes it.
    /// </summary>
    public async Task<EtcdStateStore> OpenExternalStoreAsync(CancellationToken cancellationToken = default)
    {
        var external = externalStore ?? throw new BerthException(ErrorKind.InvalidArgument, "berthd was started without --cluster-store");
        var (certificate, ca) = external.LoadCredentials();
        try
        {
            return await EtcdStateStore.ConnectAsync(new EtcdStoreOptions
            {
                Endpoints = external.Endpoints,
                Prefix = ClusterKeys.StorePrefix,
                ClientCertificate = certificate,
                TrustedCa = ca,
            }, loggerFactory.CreateLogger<EtcdStateStore>(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            certificate?.Dispose();
            ca?.Dispose();
            throw;
        }
    }

    /// <summary>The local address the kernel would use towards the external store's first endpoint (a UDP "connect" sends nothing).</summary>
    public IPAddress LocalAddressTowardsStore()
    {
        var external = externalStore ?? throw new BerthException(ErrorKind.InvalidArgument, "berthd was started without --cluster-store");
        Uri first = external.Endpoints[0];
        if (!IPAddress.TryParse(first.Host.Trim('[', ']'), out IPAddress? remote))
        {
            remote = Dns.GetHostAddresses(first.Host).FirstOrDefault() ?? throw new BerthException(ErrorKind.Unavailable, $"the cluster store's host {first.Host} does not resolve");
        }

        using var probe = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            probe.Connect(remote, first.Port);
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException e)
        {
            throw new BerthException(ErrorKind.Unavailable, $"no route to the cluster store at {first} ({e.SocketErrorCode})", e);
        }
    }

    public async Task<IClusterConnection> OpenAsync(LocalSwarmState state, SwarmPaths paths, CancellationToken cancellationToken = default)
    {
        EtcdMember? member = null;
        if (externalStore is null && state.Role == Identity.ClusterRole.Manager)
        {
            member = new EtcdMember(MemberOptions(state, paths), loggerFactory.CreateLogger<EtcdMember>());
            await member.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        X509Certificate2? certificate = null;
        X509Certificate2Collection? ca = null;
        // A swarm node's certificate is renewed while the connection runs: each new TLS connection shows the one on disk now.
        Func<X509Certificate2>? current = null;
        try
        {
            // The members berthd runs know nodes by their swarm certificate; the user's etcd, by its flags' credentials.
            ImmutableArray<Uri> endpoints = externalStore?.Endpoints ?? state.EtcdEndpoints;
            if (externalStore is not null)
            {
                (certificate, X509Certificate2? userCa) = externalStore.LoadCredentials();
                ca = userCa is null ? null : new X509Certificate2Collection(userCa);
            }
            else
            {
                certificate = X509Certificate2.CreateFromPemFile(paths.CertificateFile, paths.KeyFile);
                var source = new NodeChannel.NodeChannelCredentialSource(paths);
                current = () => source.Current().Certificate;
                // During a root rotation the file holds both roots: members may show a certificate of either.
                ca = CaBundle.LoadFile(paths.CaFile);
            }

            var store = await EtcdStateStore.ConnectAsync(new EtcdStoreOptions
            {
                Endpoints = endpoints,
                PreferredEndpoint = member?.Options.ClientUrl,
                Prefix = ClusterKeys.StorePrefix,
                ClientCertificate = certificate,
                ClientCertificateSource = current,
                TrustedCa = ca?[0],
                MoreTrustedCas = ca is null ? [] : [.. ca.Skip(1)],
            }, loggerFactory.CreateLogger<EtcdStateStore>(), cancellationToken).ConfigureAwait(false);
            return new Connection(store, new EtcdMembership(endpoints, certificate, ca, current), member, new EtcdHealthClient(paths.Tls, current), certificate, ca);
        }
        catch
        {
            certificate?.Dispose();
            if (ca is not null)
            {
                CaBundle.Dispose(ca);
            }

            if (member is not null)
            {
                await member.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public async Task ForceNewClusterAsync(LocalSwarmState state, SwarmPaths paths, CancellationToken cancellationToken = default)
    {
        if (externalStore is not null)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"--force-new-cluster: this swarm lives in the etcd you run ({externalStore.Url}); restore that etcd's quorum with etcd's own tools (etcd --force-new-cluster on one of its members)");
        }

        // Started with the flag until it serves as a cluster of one (the membership change is committed then), and
        // stopped: the session's member runs without it, so a restart later cannot drop a manager added since.
        await using var member = new EtcdMember(MemberOptions(state, paths) with { ForceNewCluster = true }, loggerFactory.CreateLogger<EtcdMember>());
        await member.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The client URL of a manager advertising <paramref name="address"/>.</summary>
    public static Uri ClientUrl(string address) => new($"https://{HostPart(address)}:{EtcdMemberOptions.DefaultClientPort}");

    public static Uri PeerUrl(string address) => new($"https://{HostPart(address)}:{EtcdMemberOptions.DefaultPeerPort}");

    private static string HostPart(string address) => address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;

    private EtcdMemberOptions MemberOptions(LocalSwarmState state, SwarmPaths paths) => new()
    {
        Binary = etcdBinary,
        Name = state.Node.Value,
        DataDirectory = paths.EtcdDirectory,
        ClientUrl = ClientUrl(state.AdvertiseAddress),
        PeerUrl = PeerUrl(state.AdvertiseAddress),
        InitialCluster = state.EtcdInitialCluster.IsDefaultOrEmpty
            ? [new EtcdPeer(state.Node.Value, PeerUrl(state.AdvertiseAddress))]
            : [.. state.EtcdInitialCluster.Select(ParsePeer)],
        JoinExisting = state.EtcdJoinExisting,
        ClusterToken = state.Cluster.Value,
        Tls = paths.Tls,
    };

    private static EtcdPeer ParsePeer(string text)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        return new EtcdPeer(text[..equals], new Uri(text[(equals + 1)..]));
    }

    private sealed class Connection(EtcdStateStore store, EtcdMembership members, EtcdMember? member, EtcdHealthClient health,
        X509Certificate2? certificate, X509Certificate2Collection? ca) : IClusterConnection
    {
        public IStateStore Store => store;

        public ILeaseStore Leases => store;

        public IEtcdCluster Members => members;

        public Task<bool> MemberServesAsync(Uri clientUrl, CancellationToken cancellationToken = default) => health.ServesAsync(clientUrl, cancellationToken);

        public Task<bool> MemberHealthyAsync(Uri clientUrl, CancellationToken cancellationToken = default) => health.HealthyAsync(clientUrl, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            try
            {
                await store.DisposeAsync().ConfigureAwait(false);
                members.Dispose();
                health.Dispose();
            }
            finally
            {
                if (member is not null)
                {
                    await member.DisposeAsync().ConfigureAwait(false);
                }

                certificate?.Dispose();
                if (ca is not null)
                {
                    CaBundle.Dispose(ca);
                }
            }
        }
    }
}
