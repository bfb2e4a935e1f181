using System.Collections.Immutable;
using System.Net.NetworkInformation;
using System.Threading.Channels;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Cluster;
using Berth.Network.Endpoints;
using Berth.Network.Firewall;
using Berth.Network.Networks;
using Berth.Network.Services;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Ingress;

/// <summary>
/// This node's part of the routing mesh, kept in step with the cluster by one background loop: while the node is linked
/// to a cluster that has an ingress network (<c>Ingress = true</c>), the host namespace has an entry on it (an endpoint
/// of its own, <see cref="IngressMesh.EntryInterface"/>, published as every endpoint is); the host DNAT table follows
/// the ports the services publish there and their backends (<see cref="ServiceTable"/>); each local ingress task's
/// return path follows every node's entry (<see cref="ClusterEndpoints"/>). Any change only marks the state dirty;
/// the loop applies the whole state once per burst and retries after a failure.
/// </summary>
public sealed class IngressController : IAsyncDisposable
{
    /// <summary>The entry's owner in endpoint records: Docker's name for the ingress sandbox.</summary>
    public const string EntryContainerId = "ingress-sbox";

    /// <summary>The entry's name, as Docker shows it in <c>network inspect ingress</c>.</summary>
    public const string EntryName = "ingress-endpoint";

    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private readonly NetworkManager _networks;
    private readonly EndpointManager _endpoints;
    private readonly ClusterEndpoints _cluster;
    private readonly ServiceTable _services;
    private readonly NetworkNamespace _host;
    private readonly IngressMesh _mesh;

    /// <summary>Lets the mesh's traffic through <see cref="IngressMesh.EntryInterface"/> where another tool's forward chain would drop it.</summary>
    private readonly INetworkFirewall _firewall;

    /// <summary>Whether this process has told <see cref="_firewall"/> about the entry (set elements outlive a restart; telling again is cheap but lists chains).</summary>
    private bool _entryLetThrough;
    private readonly ILogger _logger;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public IngressController(NetworkManager networks, EndpointManager endpoints, ClusterEndpoints cluster, ServiceTable services, NetworkNamespace host,
        IngressMesh mesh, ILogger? logger = null, INetworkFirewall? firewall = null)
    {
        _firewall = firewall ?? DisabledFirewall.Instance;
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(services);
        _networks = networks;
        _endpoints = endpoints;
        _cluster = cluster;
        _services = services;
        _host = host;
        _mesh = mesh;
        _logger = logger ?? NullLogger.Instance;
        networks.NetworksChanged += Kick;
        cluster.Changed += OnEndpoints;
        services.Subscribe(OnServices);
        _loop = RunAsync(_stopping.Token);
    }

    /// <summary>The ingress network of the cluster this node is linked to now; null when not linked or there is none.</summary>
    public NetworkState? IngressNetwork =>
        _networks.IngressNetwork();

    /// <summary>Look again soon (the cluster link was applied; something changed).</summary>
    public void Kick() => _signal.Writer.TryWrite(true);

    /// <summary>Brings the node's mesh to the cluster's state now (tests; the daemon relies on the loop).</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ReconcileLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The node leaves the swarm (called while its cluster link still holds): its entry goes (interface, records,
    /// address) and the host table with it. Best effort: what the cluster does not take back lapses with the node's lease.
    /// </summary>
    public async Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var entry in _endpoints.OfContainer(EntryContainerId))
            {
                await RemoveEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            }

            _mesh.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A local container's networks changed (start, connect, restore): if it is a task on the ingress network, its
    /// return path is made now and kept; otherwise it is not followed.
    /// </summary>
    public void SyncTask(string containerId, string namespacePath)
    {
        if (IngressNetwork is { } ingress
            && _endpoints.OfContainer(containerId).FirstOrDefault(e => e.NetworkId == ingress.Id && e.ServiceId is not null) is { } endpoint)
        {
            _mesh.SyncTask(containerId, namespacePath, endpoint.InterfaceName);
            return;
        }

        _mesh.ForgetTask(containerId);
    }

    /// <summary>The container's namespace is going.</summary>
    public void ForgetTask(string containerId) => _mesh.ForgetTask(containerId);

    public async ValueTask DisposeAsync()
    {
        _networks.NetworksChanged -= Kick;
        _cluster.Changed -= OnEndpoints;
        _signal.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
        _gate.Dispose();
    }

    /// <summary>The publications of the ingress network's services: each published port to its backends' ingress addresses.</summary>
    public static ImmutableArray<IngressPublication> PublicationsOf(ServiceNetworkView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return [.. view.Services
            .Where(s => s.Binding.Ingress)
            .SelectMany(s => s.Binding.Ports
                .Where(p => p.PublishedPort != 0 && p.Protocol is "tcp" or "udp")
                .Select(p => new IngressPublication(p.Protocol, p.PublishedPort, p.TargetPort, s.Backends.Select(b => b.Address))))];
    }

    private void OnEndpoints(NetworkId network)
    {
        if (IngressNetwork?.Id == network)
        {
            Kick();
        }
    }

    private void OnServices(IReadOnlyList<ServiceNetworkView> views)
    {
        var ingress = IngressNetwork?.Id;
        if (views.Any(v => v.Network == ingress))
        {
            Kick();
        }
    }

    private async Task ReconcileLockedAsync(CancellationToken cancellationToken)
    {
        if (_networks.Cluster is null)
        {
            // Not linked (yet, or between sessions): the entry stays as it is; leaving the swarm is LeaveAsync's.
            return;
        }

        var ingress = IngressNetwork;
        foreach (var stale in _endpoints.OfContainer(EntryContainerId).Where(e => e.NetworkId != ingress?.Id))
        {
            await RemoveEntryAsync(stale, cancellationToken).ConfigureAwait(false);
            _mesh.Clear();
        }

        if (ingress is null)
        {
            _mesh.Clear();
            return;
        }

        var mine = _endpoints.OfContainer(EntryContainerId).FirstOrDefault(e => e.NetworkId == ingress.Id);
        if (mine is not null && _host.Links.TryGet(IngressMesh.EntryInterface) is null)
        {
            // A reboot, or someone deleted it: the record outlived the interface.
            IngressLog.EntryLost(_logger, ingress.Name);
            await _endpoints.DetachAsync(EntryContainerId, EntryName, null, ingress.Id.Value, cancellationToken).ConfigureAwait(false);
            mine = null;
        }

        if (mine is null)
        {
            _host.Sysctls.SetIPv4Forwarding(true);
            mine = await _endpoints.AttachAsync(EntryContainerId, EntryName, _host, new EndpointRequest
            {
                Network = ingress.Id.Value,
                DefaultRoute = false,
                NodeEntry = true,
                InterfaceName = IngressMesh.EntryInterface,
            }, cancellationToken).ConfigureAwait(false);
            IngressLog.Entered(_logger, ingress.Name, mine.IPv4?.ToString() ?? "");
        }

        if (!_entryLetThrough)
        {
            _firewall.AddEntry(IngressMesh.EntryInterface);
            _entryLetThrough = true;
        }

        var entries = _cluster.LocalOf(ingress.Id).Concat(_cluster.Remote.Of(ingress.Id))
            .Where(e => e.NodeEntry && e.IPv4 is not null)
            .Select(e => new IngressEntry(e.IPv4!, PhysicalAddress.Parse(e.MacAddress.Replace(':', '-'))))
            .ToList();
        var publications = PublicationsOf(_services.ViewOf(ingress.Id));
        // The published ports first: a failing task's return path must not keep every node's ports shut.
        _mesh.SetPublications(publications);
        _mesh.SetEntries(entries);
        IngressLog.Applied(_logger, publications.Length, entries.Count);
    }

    /// <summary>This node's entry goes: detached while its network is known, else only its records are dropped.</summary>
    private async Task RemoveEntryAsync(EndpointState entry, CancellationToken cancellationToken)
    {
        if (_networks.Find(entry.NetworkId) is { } network)
        {
            await _endpoints.DetachAsync(EntryContainerId, EntryName, _host, network.Id.Value, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _endpoints.ForgetAsync(EntryContainerId, entry.NetworkId, cancellationToken).ConfigureAwait(false);
        }

        _firewall.RemoveEntry(IngressMesh.EntryInterface);
        _entryLetThrough = false;
        IngressLog.Left(_logger, entry.NetworkId.Short);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            while (await _signal.Reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                _signal.Reader.TryRead(out _);
                try
                {
                    await ReconcileAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception e) when (e is BerthException or InvalidOperationException or IOException)
                {
                    IngressLog.Failed(_logger, "bringing the node's routing mesh in step", e);
                    await Task.Delay(Retry, stopping).ConfigureAwait(false);
                    Kick();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // berthd stops: the mesh stays as it is, for the next start to take over.
        }
    }
}
