using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Dns;
using Berth.Network.Drivers;
using Berth.Network.Networks;
using Berth.Network.Persistence;
using Berth.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Cluster;

/// <summary>
/// The endpoints of swarm-scoped networks across the cluster. This node's are records in the cluster store under
/// <c>net/endpoints/&lt;node&gt;/&lt;network&gt;/&lt;endpoint&gt;</c>, bound to a lease of this publisher's own (TTL 5 s, kept alive
/// every 1.5 s): a node that dies takes its records with it, and one whose lease lapsed (the store was unreachable)
/// publishes them again on a new lease. Every node watches the prefix (list, then watch from that revision; listed
/// again when the watch is lost) and keeps <see cref="RemoteEndpointTable"/>, the network's driver
/// (<see cref="IRemoteEndpointDriver"/>) and the embedded resolver's names in step with other nodes' records. No
/// gossip: the store is the only channel, and a node that comes back converges by listing it.
/// </summary>
public sealed partial class ClusterEndpoints : IAsyncDisposable
{
    public const string Prefix = "net/endpoints/";

    internal static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KeepAlivePeriod = TimeSpan.FromSeconds(1.5);

    private readonly NetworkManager _networks;
    private readonly RemoteEndpointTable _table;
    private readonly RemoteNames? _dns;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RemoteEndpoint> _published = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Connection? _connection;

    public ClusterEndpoints(NetworkManager networks, RemoteEndpointTable table, DnsRegistry? dns = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(networks);
        _networks = networks;
        _table = table;
        _dns = dns is null ? null : new RemoteNames(dns);
        _logger = logger ?? NullLogger.Instance;
    }

    public RemoteEndpointTable Remote => _table;

    /// <summary>
    /// Raised with a network's id after an endpoint on it (this node's or another's) was added, changed or removed. Handlers
    /// only take note (the service table queues the network); they must not block or throw.
    /// </summary>
    public event Action<NetworkId>? Changed;

    /// <summary>This node's published endpoints on a network.</summary>
    public IReadOnlyList<RemoteEndpoint> LocalOf(NetworkId network) => [.. _published.Values.Where(e => e.NetworkId == network)];

    public static string Key(string node, NetworkId network, string endpointId) => $"{Prefix}{node}/{network.Value}/{endpointId}";

    /// <summary>Starts publishing this node's records on a lease of the link's store and following every node's.</summary>
    public async Task ConnectAsync(ClusterLink link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A new session of the same node: the records move to the new lease below (the old one's lapse then deletes
            // nothing), and the listing below adds and drops only what changed, so no wired peer blinks.
            await DisconnectLockedAsync(withdraw: false).ConfigureAwait(false);
            var lease = await link.Leases.GrantLeaseAsync(LeaseTtl, cancellationToken).ConfigureAwait(false);
            var connection = new Connection(link, lease.Id);
            _connection = connection;
            foreach (var (key, endpoint) in _published)
            {
                await link.Leases.PutAsync(key, Encode(Stamp(endpoint, link)), lease.Id, cancellationToken).ConfigureAwait(false);
            }

            long revision = await link.Store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
            await ListAsync(connection, cancellationToken).ConfigureAwait(false);
            connection.Loops = Task.WhenAll(KeepAliveAsync(connection, connection.Stopping.Token), WatchAsync(connection, revision, connection.Stopping.Token));
            ClusterNetworkLog.Connected(_logger, link.NodeId, link.Vtep.ToString(), _published.Count, _table.All().Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Stops following the cluster and forgets other nodes' endpoints. With <paramref name="withdraw"/> (the node left)
    /// this node's records go at once with their revoked lease; without (berthd stops, its containers keep running) they
    /// stay until the lease lapses, and a berthd back within its TTL puts them on a new lease before they do.
    /// </summary>
    public async Task DisconnectAsync(bool withdraw = true)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await DisconnectLockedAsync(withdraw).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Publishes one of this node's endpoints (its node and tunnel address are this node's). Unavailable outside a cluster.
    /// A put that fails leaves an endpoint published before as it was: it still exists here, and when the failure was
    /// its lease lapsing (the node cut off longer than the TTL) the keep-alive puts every published record on a new one.
    /// </summary>
    public async Task PublishAsync(RemoteEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var connection = Volatile.Read(ref _connection) ?? throw NotConnected();
        var stamped = Stamp(endpoint, connection.Link);
        string key = Key(stamped.Node, stamped.NetworkId, stamped.EndpointId);
        bool known = _published.TryGetValue(key, out var before);
        _published[key] = stamped;
        try
        {
            await connection.Link.Leases.PutAsync(key, Encode(stamped), Interlocked.Read(ref connection.LeaseId), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (known)
            {
                _published[key] = before!;
            }
            else
            {
                _published.TryRemove(key, out _);
            }

            throw;
        }

        Changed?.Invoke(stamped.NetworkId);
    }

    /// <summary>
    /// Withdraws one of this node's endpoints; nothing if it was not published. It is gone from this node's view even
    /// when the store's delete fails (its lease then takes the record with it, or a later session's listing does).
    /// </summary>
    public async Task UnpublishAsync(NetworkId network, string endpointId, CancellationToken cancellationToken = default)
    {
        foreach (string key in _published.Keys.Where(k => k.EndsWith($"/{network.Value}/{endpointId}", StringComparison.Ordinal)).ToList())
        {
            _published.TryRemove(key, out _);
            try
            {
                if (Volatile.Read(ref _connection) is { } connection)
                {
                    await connection.Link.Store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                Changed?.Invoke(network);
            }
        }
    }

    /// <summary>
    /// The nodes with endpoints on the network, by node id and tunnel address (<c>network inspect --verbose</c>'s peers):
    /// the other nodes as the watch has them, and this one when <paramref name="local"/> (it has endpoints there).
    /// </summary>
    public IReadOnlyList<(string Node, string Address)> PeersOf(NetworkId network, bool local)
    {
        var peers = _table.Of(network).Select(e => (e.Node, Address: e.Vtep.ToString())).Distinct().ToList();
        if (local && Volatile.Read(ref _connection) is { } connection)
        {
            peers.Add((connection.Link.NodeId, connection.Link.Vtep.ToString()));
        }

        return [.. peers.OrderBy(p => p.Node, StringComparer.Ordinal)];
    }

    /// <summary>Some container's endpoint on the network (nodes' own entries do not count), of any node (this one's included), as the store has it now; null if none.</summary>
    public async Task<RemoteEndpoint?> AnyOnAsync(NetworkId network, CancellationToken cancellationToken = default) =>
        await OnAsync(network, cancellationToken).ConfigureAwait(false) is [var first, ..] ? first : null;

    /// <summary>Every container's endpoint on the network (nodes' own entries do not count), of every node (this one's included), as the store has it now.</summary>
    public async Task<IReadOnlyList<RemoteEndpoint>> OnAsync(NetworkId network, CancellationToken cancellationToken = default)
    {
        var connection = Volatile.Read(ref _connection) ?? throw NotConnected();
        var on = new List<RemoteEndpoint>();
        foreach (var entry in await connection.Link.Store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            if (ParseKey(entry.Key) is { } key && key.Network == network && TryDecode(entry) is { NodeEntry: false } endpoint)
            {
                on.Add(endpoint);
            }
        }

        return on;
    }

    /// <summary>berthd stops: this node's records stay until their lease lapses (see <see cref="DisconnectAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync(withdraw: false).ConfigureAwait(false);
        if (_dns is not null)
        {
            await _dns.DisposeAsync().ConfigureAwait(false);
        }

        _gate.Dispose();
    }

    private async Task DisconnectLockedAsync(bool withdraw)
    {
        if (Interlocked.Exchange(ref _connection, null) is not { } connection)
        {
            return;
        }

        await connection.Stopping.CancelAsync().ConfigureAwait(false);
        await connection.Loops.ConfigureAwait(false);
        try
        {
            if (withdraw)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await connection.Link.Leases.RevokeLeaseAsync(Interlocked.Read(ref connection.LeaseId), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is BerthException or OperationCanceledException)
        {
            ClusterNetworkLog.Failed(_logger, "revoking the lease", e);
        }

        if (withdraw)
        {
            foreach (var endpoint in _table.All())
            {
                Removed(endpoint.NetworkId, endpoint.EndpointId);
            }
        }

        connection.Stopping.Dispose();
        ClusterNetworkLog.Disconnected(_logger);
    }

    private async Task KeepAliveAsync(Connection connection, CancellationToken stopping)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(KeepAlivePeriod, stopping).ConfigureAwait(false);
                try
                {
                    await connection.Link.Leases.KeepAliveAsync(Interlocked.Read(ref connection.LeaseId), stopping).ConfigureAwait(false);
                }
                catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
                {
                    // Lapsed while the store was out of reach: other nodes have dropped our endpoints; publish them again.
                    var lease = await connection.Link.Leases.GrantLeaseAsync(LeaseTtl, stopping).ConfigureAwait(false);
                    Interlocked.Exchange(ref connection.LeaseId, lease.Id);
                    foreach (var (key, endpoint) in _published)
                    {
                        await connection.Link.Leases.PutAsync(key, Encode(endpoint), lease.Id, stopping).ConfigureAwait(false);
                    }

                    ClusterNetworkLog.Republished(_logger, _published.Count);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is BerthException or OperationCanceledException or InvalidOperationException or IOException)
            {
                ClusterNetworkLog.Failed(_logger, "keeping the lease alive", e);
            }
        }
    }

    /// <summary>Every node's records as the store has them now: added and changed ones applied, vanished ones removed.</summary>
    private async Task ListAsync(Connection connection, CancellationToken cancellationToken)
    {
        var seen = new HashSet<(NetworkId, string)>();
        foreach (var entry in await connection.Link.Store.ListAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            if (ParseKey(entry.Key) is { } key && key.Node != connection.Link.NodeId && TryDecode(entry) is { } endpoint)
            {
                seen.Add((key.Network, key.Endpoint));
                Added(endpoint);
            }
        }

        foreach (var stale in _table.All().Where(e => !seen.Contains((e.NetworkId, e.EndpointId))))
        {
            Removed(stale.NetworkId, stale.EndpointId);
        }
    }

    private async Task WatchAsync(Connection connection, long revision, CancellationToken stopping)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in connection.Link.Store.WatchAsync(Prefix, revision, stopping).ConfigureAwait(false))
                {
                    revision = change.Revision;
                    if (ParseKey(change.Key) is not { } key || key.Node == connection.Link.NodeId)
                    {
                        continue;
                    }

                    if (change.Entry is not { } entry)
                    {
                        Removed(key.Network, key.Endpoint);
                    }
                    else if (TryDecode(entry) is { } endpoint)
                    {
                        Added(endpoint);
                    }
                    else
                    {
                        // A record replaced by one that cannot be read no longer says where the endpoint is.
                        Removed(key.Network, key.Endpoint);
                    }
                }

                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (StoreWatchLostException e)
            {
                ClusterNetworkLog.WatchLost(_logger, "endpoints", e.Message);
                await RelistAsync(connection, stopping).ConfigureAwait(false);
                revision = connection.ListedAt;
            }
            catch (Exception e) when (e is BerthException or InvalidOperationException or IOException)
            {
                // The stream broke (a member went away): list again from the store, and watch from there.
                ClusterNetworkLog.WatchLost(_logger, "endpoints", e.Message);
                await RelistAsync(connection, stopping).ConfigureAwait(false);
                revision = connection.ListedAt;
            }
        }
    }

    private async Task RelistAsync(Connection connection, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), stopping).ConfigureAwait(false);
                connection.ListedAt = await connection.Link.Store.GetRevisionAsync(stopping).ConfigureAwait(false);
                await ListAsync(connection, stopping).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is BerthException or InvalidOperationException or IOException)
            {
                ClusterNetworkLog.Failed(_logger, "listing the endpoints", e);
            }
        }
    }

    private void Added(RemoteEndpoint endpoint)
    {
        _table.Set(endpoint);
        var network = _networks.Find(endpoint.NetworkId);

        // The wiring first, the name after: a container that resolves the name can reach it at once.
        if (network is not null && _networks.Drivers.Of(network) is IRemoteEndpointDriver driver)
        {
            try
            {
                driver.RemoteAdded(network, endpoint);
            }
            catch (BerthException e)
            {
                ClusterNetworkLog.RemoteFailed(_logger, network.Name, endpoint.EndpointId, endpoint.Node, e.Message);
            }
        }

        if (endpoint.NodeEntry)
        {
            Changed?.Invoke(endpoint.NetworkId);
            return;
        }

        _dns?.Set(new DnsEndpoint
        {
            ContainerId = endpoint.ContainerId,
            ContainerName = endpoint.ContainerName,
            NetworkId = endpoint.NetworkId,
            NetworkName = network?.Name ?? "",
            Aliases = endpoint.Aliases,
            IPv4 = endpoint.IPv4,
            IPv6 = endpoint.IPv6,
        });
        Changed?.Invoke(endpoint.NetworkId);
    }

    private void Removed(NetworkId networkId, string endpointId)
    {
        if (_table.Remove(networkId, endpointId) is not { } endpoint)
        {
            return;
        }

        if (!endpoint.NodeEntry)
        {
            _dns?.Remove(endpoint.ContainerId, networkId);
        }

        Changed?.Invoke(networkId);
        if (_networks.Find(networkId) is { } network && _networks.Drivers.Of(network) is IRemoteEndpointDriver driver)
        {
            try
            {
                driver.RemoteRemoved(network, endpoint);
            }
            catch (BerthException e)
            {
                ClusterNetworkLog.RemoteFailed(_logger, network.Name, endpoint.EndpointId, endpoint.Node, e.Message);
            }
        }
    }

    private static RemoteEndpoint Stamp(RemoteEndpoint endpoint, ClusterLink link) => endpoint with { Node = link.NodeId, Vtep = link.Vtep };

    private static (string Node, NetworkId Network, string Endpoint)? ParseKey(string key)
    {
        var parts = key[Prefix.Length..].Split('/');
        return parts.Length == 3 && parts[1].Length == NetworkId.Length ? (parts[0], new NetworkId(parts[1]), parts[2]) : null;
    }

    /// <summary>
    /// The record, or null (said in the log) when it cannot be read: one bad record — written by hand, or by a Berth
    /// of another shape — must not stop this node from following every other one.
    /// </summary>
    private RemoteEndpoint? TryDecode(StoreEntry entry)
    {
        RemoteEndpoint? endpoint;
        try
        {
            endpoint = JsonSerializer.Deserialize(entry.Value.Span, RemoteEndpointJsonContext.Default.RemoteEndpoint);
        }
        catch (Exception e) when (e is JsonException or FormatException or BerthException)
        {
            // FormatException: an address the converter cannot parse; BerthException: a network id that is not one.
            ClusterNetworkLog.Unreadable(_logger, entry.Key, e.Message);
            return null;
        }

        if (endpoint is null)
        {
            ClusterNetworkLog.Unreadable(_logger, entry.Key, "the record is null");
        }

        return endpoint;
    }

    private static byte[] Encode(RemoteEndpoint endpoint) => JsonSerializer.SerializeToUtf8Bytes(endpoint, RemoteEndpointJsonContext.Default.RemoteEndpoint);

    private static BerthException NotConnected() => new(ErrorKind.Unavailable, NetworkManager.SwarmRequired);

    private sealed class Connection(ClusterLink link, long leaseId)
    {
        public long LeaseId = leaseId;

        public ClusterLink Link { get; } = link;

        public CancellationTokenSource Stopping { get; } = new();

        public Task Loops { get; set; } = Task.CompletedTask;

        public long ListedAt { get; set; }
    }
}
