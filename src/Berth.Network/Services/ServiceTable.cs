using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading.Channels;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Cluster;
using Berth.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Services;

/// <summary>
/// Every node's view of the services on swarm-scoped networks: the bindings (list, then watch of
/// <c>net/services/</c>; listed again when the watch is lost) joined with the backends, the endpoints of the
/// network (this node's and other nodes', <see cref="ClusterEndpoints"/>) whose <c>ServiceId</c> names the service.
/// A change of either only marks its network; one loop recomputes each marked network once and hands the new views to
/// the consumers (<see cref="ServiceNames"/>, <see cref="ServiceLoadBalancer"/>) in one batch, so a burst costs a few
/// recomputations and a network is never recomputed in parallel with itself.
/// </summary>
public sealed class ServiceTable : IAsyncDisposable
{
    private static readonly TimeSpan RelistDelay = TimeSpan.FromMilliseconds(200);

    private readonly Func<NetworkId, IEnumerable<RemoteEndpoint>> _endpointsOf;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<NetworkId, byte> _dirty = new();
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Task _loop;
    private ImmutableDictionary<NetworkId, ImmutableDictionary<string, ServiceBinding>> _bindings = ImmutableDictionary<NetworkId, ImmutableDictionary<string, ServiceBinding>>.Empty;
    private ImmutableDictionary<NetworkId, ServiceNetworkView> _views = ImmutableDictionary<NetworkId, ServiceNetworkView>.Empty;
    private ImmutableArray<Action<IReadOnlyList<ServiceNetworkView>>> _consumers = [];
    private Connection? _connection;

    /// <param name="endpointsOf">Every endpoint (this node's and others') of a network now.</param>
    public ServiceTable(Func<NetworkId, IEnumerable<RemoteEndpoint>> endpointsOf, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endpointsOf);
        _endpointsOf = endpointsOf;
        _logger = logger ?? NullLogger.Instance;
        _loop = RunAsync();
    }

    /// <summary>A table whose backends are the cluster's endpoint records, recomputed when they change.</summary>
    public static ServiceTable Following(ClusterEndpoints endpoints, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var table = new ServiceTable(network => endpoints.LocalOf(network).Concat(endpoints.Remote.Of(network)), logger);
        endpoints.Changed += table.Invalidate;
        return table;
    }

    /// <summary>
    /// Adds a consumer of changed views: called on the table's loop, one batch at a time, never in parallel with itself
    /// or another consumer. It gets only the networks that changed; <see cref="Views"/> has the rest.
    /// </summary>
    public void Subscribe(Action<IReadOnlyList<ServiceNetworkView>> consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ImmutableInterlocked.Update(ref _consumers, c => c.Add(consumer));
    }

    /// <summary>The services on a network as last computed (empty when none).</summary>
    public ServiceNetworkView ViewOf(NetworkId network) => Volatile.Read(ref _views).GetValueOrDefault(network) ?? ServiceNetworkView.Empty(network);

    /// <summary>Every network with services, as last computed.</summary>
    public IReadOnlyCollection<ServiceNetworkView> Views => [.. Volatile.Read(ref _views).Values];

    /// <summary>Something of the network changed (an endpoint came or went): its view is recomputed soon.</summary>
    public void Invalidate(NetworkId network)
    {
        _dirty[network] = 0;
        _signal.Writer.TryWrite(true);
    }

    /// <summary>Follows the bindings in <paramref name="store"/> (the cluster store): listed now, watched from there.</summary>
    public async Task ConnectAsync(IStateStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await DisconnectLockedAsync().ConfigureAwait(false);
            var connection = new Connection(store);
            long revision = await store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
            int count = await ListAsync(store, cancellationToken).ConfigureAwait(false);
            connection.Watch = WatchAsync(connection, revision, connection.Stopping.Token);
            _connection = connection;
            ServiceLog.Following(_logger, count);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops following the bindings and forgets them (every view becomes empty).</summary>
    public async Task DisconnectAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await DisconnectLockedAsync().ConfigureAwait(false);
            Replace(ImmutableDictionary<NetworkId, ImmutableDictionary<string, ServiceBinding>>.Empty);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync().ConfigureAwait(false);
        _signal.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <summary>
    /// The view of one network from its bindings and endpoints: a service's backends are the endpoints naming it, in
    /// rotation, that have an IPv4 address, ordered by address (every node orders them alike).
    /// </summary>
    public static ServiceNetworkView Compute(NetworkId network, IEnumerable<ServiceBinding> bindings, IEnumerable<RemoteEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        ArgumentNullException.ThrowIfNull(endpoints);
        var byService = endpoints
            .Where(e => e.ServiceId is not null && !e.OutOfRotation && e.IPv4 is not null && e.NetworkId == network)
            .GroupBy(e => e.ServiceId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var services = bindings
            .OrderBy(b => b.ServiceId, StringComparer.Ordinal)
            .Select(b => new ServiceView(b, byService.TryGetValue(b.ServiceId, out var backends)
                ? [.. backends
                    .Select(e => new ServiceBackend(e.EndpointId, e.ContainerId, e.Node, e.IPv4!))
                    .DistinctBy(e => e.Address)
                    .OrderBy(e => e.Address.GetAddressBytes(), Dns.AddressByteOrder.Instance)]
                : []));
        return new ServiceNetworkView(network, [.. services]);
    }

    private async Task DisconnectLockedAsync()
    {
        if (Interlocked.Exchange(ref _connection, null) is not { } connection)
        {
            return;
        }

        await connection.Stopping.CancelAsync().ConfigureAwait(false);
        await connection.Watch.ConfigureAwait(false);
        connection.Stopping.Dispose();
    }

    private async Task<int> ListAsync(IStateStore store, CancellationToken cancellationToken)
    {
        var builder = ImmutableDictionary.CreateBuilder<NetworkId, ImmutableDictionary<string, ServiceBinding>>();
        int count = 0;
        foreach (var entry in await store.ListAsync(ServiceBindings.Prefix, cancellationToken).ConfigureAwait(false))
        {
            if (Read(entry.Key, entry) is { } binding)
            {
                builder[binding.NetworkId] = (builder.GetValueOrDefault(binding.NetworkId) ?? ImmutableDictionary<string, ServiceBinding>.Empty.WithComparers(StringComparer.Ordinal))
                    .SetItem(binding.ServiceId, binding);
                count++;
            }
        }

        Replace(builder.ToImmutable());
        return count;
    }

    private async Task WatchAsync(Connection connection, long revision, CancellationToken stopping)
    {
        // Asked for before this yields: revision 0 (a store never written) means "from now", which must be the
        // listing's now, not a later one that would miss a binding written meanwhile.
        IAsyncEnumerable<StoreEvent>? first = connection.Store.WatchAsync(ServiceBindings.Prefix, revision, stopping);
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var changes = first ?? connection.Store.WatchAsync(ServiceBindings.Prefix, revision, stopping);
                first = null;
                await foreach (var change in changes.ConfigureAwait(false))
                {
                    revision = change.Revision;
                    if (ServiceBindings.ParseKey(change.Key) is not { } key)
                    {
                        continue;
                    }

                    // A record that cannot be read no longer says what the service is: as good as removed.
                    var binding = change.Entry is { } entry ? Read(change.Key, entry) : null;
                    Set(key.Network, key.ServiceId, binding);
                }

                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StoreWatchLostException or BerthException or InvalidOperationException or IOException)
            {
                ServiceLog.WatchLost(_logger, e.Message);
                revision = await RelistAsync(connection, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task<long> RelistAsync(Connection connection, CancellationToken stopping)
    {
        while (true)
        {
            try
            {
                await Task.Delay(RelistDelay, stopping).ConfigureAwait(false);
                long revision = await connection.Store.GetRevisionAsync(stopping).ConfigureAwait(false);
                await ListAsync(connection.Store, stopping).ConfigureAwait(false);
                return revision;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception e) when (e is BerthException or InvalidOperationException or IOException)
            {
                ServiceLog.Failed(_logger, "listing the bindings", e);
            }
        }
    }

    private ServiceBinding? Read(string key, StoreEntry entry)
    {
        var binding = ServiceBindings.TryDecode(entry);
        if (binding is null || ServiceBindings.ParseKey(key) is not { } parsed || parsed.Network != binding.NetworkId || parsed.ServiceId != binding.ServiceId)
        {
            ServiceLog.Unreadable(_logger, key);
            return null;
        }

        return binding;
    }

    private void Set(NetworkId network, string serviceId, ServiceBinding? binding)
    {
        lock (_lock)
        {
            var services = _bindings.GetValueOrDefault(network) ?? ImmutableDictionary<string, ServiceBinding>.Empty.WithComparers(StringComparer.Ordinal);
            services = binding is null ? services.Remove(serviceId) : services.SetItem(serviceId, binding);
            _bindings = services.IsEmpty ? _bindings.Remove(network) : _bindings.SetItem(network, services);
        }

        Invalidate(network);
    }

    /// <summary>All bindings at once (a listing): networks that gained, lost or changed bindings are marked.</summary>
    private void Replace(ImmutableDictionary<NetworkId, ImmutableDictionary<string, ServiceBinding>> bindings)
    {
        ImmutableDictionary<NetworkId, ImmutableDictionary<string, ServiceBinding>> before;
        lock (_lock)
        {
            before = _bindings;
            _bindings = bindings;
        }

        foreach (var network in before.Keys.Union(bindings.Keys))
        {
            Invalidate(network);
        }
    }

    private async Task RunAsync()
    {
        await Task.Yield();
        while (await _signal.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            _signal.Reader.TryRead(out _);
            Drain();
        }
    }

    private void Drain()
    {
        var changed = new List<ServiceNetworkView>();
        foreach (var network in _dirty.Keys)
        {
            _dirty.TryRemove(network, out _);
            var bindings = Volatile.Read(ref _bindings).GetValueOrDefault(network);
            var view = bindings is null ? ServiceNetworkView.Empty(network) : Compute(network, bindings.Values, _endpointsOf(network));
            var before = ViewOf(network);
            if (before.Services.SequenceEqual(view.Services, ServiceViewComparer.Instance))
            {
                continue;
            }

            ImmutableInterlocked.Update(ref _views, v => view.Services.IsEmpty ? v.Remove(network) : v.SetItem(network, view));
            changed.Add(view);
            ServiceLog.ViewChanged(_logger, network.Value, view.Services.Length, view.Services.Sum(s => s.Backends.Length));
        }

        if (changed.Count == 0)
        {
            return;
        }

        foreach (var consumer in _consumers)
        {
            try
            {
                consumer(changed);
            }
            catch (Exception e) when (e is BerthException or InvalidOperationException or IOException)
            {
                ServiceLog.ConsumerFailed(_logger, changed[0].Network.Value, e);
            }
        }
    }

    /// <summary>Equal when the bindings are equal (by value, arrays by content) and the backends' addresses and ids are.</summary>
    private sealed class ServiceViewComparer : IEqualityComparer<ServiceView>
    {
        public static readonly ServiceViewComparer Instance = new();

        public bool Equals(ServiceView? x, ServiceView? y) =>
            x is not null && y is not null
            && x.Binding with { Aliases = [], Ports = [] } == y.Binding with { Aliases = [], Ports = [] }
            && x.Binding.Aliases.SequenceEqual(y.Binding.Aliases, StringComparer.Ordinal)
            && x.Binding.Ports.SequenceEqual(y.Binding.Ports)
            && x.Backends.SequenceEqual(y.Backends);

        public int GetHashCode(ServiceView obj) => obj.Binding.ServiceId.GetHashCode(StringComparison.Ordinal);
    }

    private sealed class Connection(IStateStore store)
    {
        public IStateStore Store { get; } = store;

        public CancellationTokenSource Stopping { get; } = new();

        public Task Watch { get; set; } = Task.CompletedTask;
    }
}
