using System.Collections.Immutable;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Linux.Nftables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Services;

/// <summary>
/// VIP load balancing where the client is: each local container attached to a network with vip-mode services gets
/// Berth's table <c>ip berth-lb</c> in its own namespace (<see cref="LoadBalancerRuleset"/>), so a connection to
/// VIP:port is sent to one backend by the client's own DNAT: no SNAT, no hop through a balancer. The table follows
/// the <see cref="ServiceTable"/>: each change applies only the elements and chains of the services that changed, in
/// one transaction per container. A container connected later gets the table as it is then; a released one is
/// forgotten (its table goes with its namespace).
/// <para>
/// nftables contexts are bound to the namespace on the namespace runner's dedicated thread
/// (<see cref="NetworkNamespace.Nft"/>) and used from here; nothing here enters a namespace itself.
/// </para>
/// </summary>
public sealed class ServiceLoadBalancer : IDisposable
{
    private readonly ServiceTable _table;
    private readonly ILogger _logger;
    private readonly NamespaceRunner? _runner;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Client> _clients = new(StringComparer.Ordinal);

    /// <param name="runner">Where namespaces' nftables contexts are made (the shared runner by default).</param>
    public ServiceLoadBalancer(ServiceTable table, ILogger? logger = null, NamespaceRunner? runner = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        _table = table;
        _logger = logger ?? NullLogger.Instance;
        _runner = runner;
        table.Subscribe(Changed);
    }

    /// <summary>The containers with a client table now (for tests and inspection).</summary>
    public IReadOnlyCollection<string> Clients
    {
        get
        {
            lock (_lock)
            {
                return [.. _clients.Keys];
            }
        }
    }

    /// <summary>
    /// A container's namespace and networks, on start, connect, disconnect and restore: its table is made or changed to
    /// match the services of those networks now. The namespace is opened when it first needs a table (a container on
    /// local networks only never costs a handle) and kept until <see cref="Forget"/>.
    /// </summary>
    public void Sync(string containerId, string namespacePath, IEnumerable<NetworkId> networks)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ArgumentException.ThrowIfNullOrEmpty(namespacePath);
        ArgumentNullException.ThrowIfNull(networks);
        lock (_lock)
        {
            if (!_clients.TryGetValue(containerId, out var client) || client.Path != namespacePath)
            {
                client?.Dispose();
                client = new Client(containerId, namespacePath);
                _clients[containerId] = client;
            }

            client.Networks = [.. networks];
            Apply(client);
        }
    }

    /// <summary>The container's namespace is going: its handle is closed (the table goes with the namespace).</summary>
    public void Forget(string containerId)
    {
        lock (_lock)
        {
            if (_clients.Remove(containerId, out var client))
            {
                client.Dispose();
                ServiceLog.LoadBalancerRemoved(_logger, containerId);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }

            _clients.Clear();
        }
    }

    /// <summary>What a client on these networks balances: every vip-mode service of each, keyed by its chain.</summary>
    public static ImmutableDictionary<string, LoadBalancedService> Desired(IEnumerable<ServiceNetworkView> views)
    {
        ArgumentNullException.ThrowIfNull(views);
        var services = ImmutableDictionary.CreateBuilder<string, LoadBalancedService>(StringComparer.Ordinal);
        foreach (var view in views)
        {
            foreach (var service in view.Services)
            {
                if (LoadBalancedService.From(view.Network, service) is { } balanced)
                {
                    services[balanced.Chain] = balanced;
                }
            }
        }

        return services.ToImmutable();
    }

    private void Changed(IReadOnlyList<ServiceNetworkView> views)
    {
        var networks = views.Select(v => v.Network).ToHashSet();
        lock (_lock)
        {
            foreach (var client in _clients.Values.Where(c => c.Networks.Any(networks.Contains)))
            {
                Apply(client);
            }
        }
    }

    /// <summary>
    /// Brings one client's table to the services of its networks: the difference only, or the whole table when there
    /// was none or an incremental change failed (the kernel's table then no longer matches what was applied).
    /// </summary>
    private void Apply(Client client)
    {
        var desired = Desired(client.Networks.Select(_table.ViewOf));
        try
        {
            NftBatch batch;
            if (!client.Created)
            {
                if (desired.IsEmpty)
                {
                    return;
                }

                batch = LoadBalancerRuleset.Create(desired.Values);
            }
            else
            {
                batch = LoadBalancerRuleset.Change(client.Applied, desired);
            }

            if (!batch.IsEmpty)
            {
                Run(client, batch);
            }

            client.Created = true;
            client.Applied = desired;
        }
        catch (BerthException e)
        {
            ServiceLog.LoadBalancerFailed(_logger, client.ContainerId, e);
            try
            {
                Run(client, LoadBalancerRuleset.Create(desired.Values));
                client.Created = true;
                client.Applied = desired;
            }
            catch (BerthException again)
            {
                // The namespace is gone or nftables refuses: the next change or Sync tries the whole table again.
                ServiceLog.LoadBalancerFailed(_logger, client.ContainerId, again);
                client.Created = false;
                client.Applied = ImmutableDictionary<string, LoadBalancedService>.Empty;
            }
        }
    }

    private void Run(Client client, NftBatch batch)
    {
        client.Namespace ??= NetworkNamespace.OpenPath(client.Path, _runner);
        client.Namespace.Nft.Apply(batch, "load balancing of container " + client.ContainerId);
        ServiceLog.LoadBalancerApplied(_logger, client.ContainerId, batch.Count);
    }

    private sealed class Client(string containerId, string path) : IDisposable
    {
        public string ContainerId { get; } = containerId;

        public string Path { get; } = path;

        public NetworkNamespace? Namespace { get; set; }

        public ImmutableArray<NetworkId> Networks { get; set; } = [];

        public bool Created { get; set; }

        public ImmutableDictionary<string, LoadBalancedService> Applied { get; set; } = ImmutableDictionary<string, LoadBalancedService>.Empty;

        public void Dispose() => Namespace?.Dispose();
    }
}
