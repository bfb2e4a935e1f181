using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Linux.Namespaces;
using Berth.Network.Drivers;
using Berth.Network.Ipam;
using Berth.Network.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Networks;

/// <summary>
/// The daemon's networks. Every change follows one order: validate everything (name, driver
/// options, IPAM), record the network as <see cref="NetworkPhase.Creating"/> durably, make the
/// kernel objects, record it <see cref="NetworkPhase.Ready"/>. A crash at any point leaves a record
/// that says what to finish or undo, and <see cref="StartAsync"/> does it; a failure undoes at once.
/// Changes are serialised; reads see an immutable snapshot.
/// </summary>
public sealed class NetworkManager : INetworkService, IDisposable
{
    private readonly NetworkRepository _repository;
    private readonly NetworkIpam _ipam;
    private readonly IReadOnlyDictionary<string, INetworkDriver> _drivers;
    private readonly NetworkNamespace _host;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ImmutableDictionary<NetworkId, NetworkState> _networks = ImmutableDictionary<NetworkId, NetworkState>.Empty;

    public NetworkManager(NetworkRepository repository, NetworkIpam ipam, IEnumerable<INetworkDriver> drivers, NetworkNamespace host, TimeProvider? time = null, ILogger? logger = null)
    {
        _repository = repository;
        _ipam = ipam;
        _drivers = drivers.ToDictionary(d => d.Name, StringComparer.Ordinal);
        _host = host;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Whether containers are attached to a network (set by the endpoint manager); such a network cannot be removed.</summary>
    public Func<NetworkId, bool>? IsInUse { get; set; }

    /// <summary>
    /// Loads the stored networks, finishes or undoes what a crash interrupted, re-creates missing
    /// kernel objects of ready networks, and makes the predefined networks if they do not exist.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var loaded = ImmutableDictionary.CreateBuilder<NetworkId, NetworkState>();
            foreach (var network in await _repository.LoadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (network.Phase != NetworkPhase.Ready)
                {
                    NetworkLog.Undoing(_logger, network.Name, network.Phase);
                    TryDeleteKernelObjects(network);
                    await _repository.DeleteAsync(network.Id, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    foreach (string repair in DriverOf(network).Reconcile(network))
                    {
                        NetworkLog.Repaired(_logger, network.Name, repair);
                    }
                }
                catch (BerthException e)
                {
                    NetworkLog.ReconcileFailed(_logger, network.Name, e.Message);
                }

                loaded[network.Id] = network;
            }

            _networks = loaded.ToImmutable();
            await EnsurePredefinedAsync(cancellationToken).ConfigureAwait(false);
            NetworkLog.Started(_logger, _networks.Count, clock.Elapsed.TotalMilliseconds);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<NetworkState> CreateAsync(NetworkConfig config, bool checkDuplicate = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (string.IsNullOrWhiteSpace(config.Name))
            {
                throw new BerthException(ErrorKind.InvalidArgument, "a network needs a name");
            }

            if ((checkDuplicate || PredefinedNetworks.IsPredefinedName(config.Name)) && _networks.Values.Any(n => n.Name == config.Name))
            {
                throw new BerthException(ErrorKind.Conflict, $"network with name {config.Name} already exists");
            }

            return await CreateLockedAsync(config, predefined: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<IReadOnlyList<NetworkState>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<NetworkState>>([.. _networks.Values.OrderBy(n => n.Name, StringComparer.Ordinal)]);

    public Task<NetworkState> GetAsync(string idOrName, CancellationToken cancellationToken = default) =>
        Task.FromResult(Find(_networks, idOrName));

    public async Task DeleteAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var network = Find(_networks, idOrName);
            if (network.Predefined)
            {
                throw new BerthException(ErrorKind.Forbidden, $"{network.Name} is a pre-defined network and cannot be removed");
            }

            if (IsInUse?.Invoke(network.Id) == true)
            {
                throw new BerthException(ErrorKind.Forbidden, $"error while removing network: network {network.Name} id {network.Id} has active endpoints");
            }

            await DeleteLockedAsync(network, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<NetworkState>> PruneAsync(Func<NetworkState, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var removed = new List<NetworkState>();
            foreach (var network in _networks.Values.Where(n => !n.Predefined && IsInUse?.Invoke(n.Id) != true && predicate(n)).OrderBy(n => n.Name, StringComparer.Ordinal))
            {
                await DeleteLockedAsync(network, cancellationToken).ConfigureAwait(false);
                removed.Add(network);
            }

            return removed;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<NetworkState> CreateLockedAsync(NetworkConfig config, bool predefined, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var driver = DriverNamed(config.Driver);
        if (config.ConfigOnly || config.ConfigFrom is not null)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"network \"{config.Name}\": config-only networks and --config-from are not supported by Berth yet");
        }

        var id = NetworkId.New();
        var existing = _networks.Values.ToList();
        var driverState = driver.Plan(config, id, existing);
        var subnets = _ipam.Allocate(config, existing, HostNetworks(), driver.NeedsGateway(config));
        var network = new NetworkState
        {
            Id = id,
            Config = config,
            Created = _time.GetUtcNow(),
            Subnets = subnets,
            DriverState = driverState.ToImmutableDictionary(),
            Phase = NetworkPhase.Creating,
            Predefined = predefined,
        };

        // The intent is durable before the first kernel object exists: after a crash, StartAsync undoes it.
        await _repository.SaveAsync(network, cancellationToken).ConfigureAwait(false);
        try
        {
            driver.Create(network);
        }
        catch (BerthException)
        {
            await _repository.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        network = network with { Phase = NetworkPhase.Ready };
        try
        {
            await _repository.SaveAsync(network, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            TryDeleteKernelObjects(network);
            await _repository.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        _networks = _networks.SetItem(id, network);
        NetworkLog.Created(_logger, network.Name, id.Value, network.Driver, string.Join(",", subnets.Select(s => s.Subnet)), clock.Elapsed.TotalMilliseconds);
        return network;
    }

    private async Task DeleteLockedAsync(NetworkState network, CancellationToken cancellationToken)
    {
        // Marked first: a crash during the kernel work is finished by StartAsync.
        await _repository.SaveAsync(network with { Phase = NetworkPhase.Deleting }, cancellationToken).ConfigureAwait(false);
        _networks = _networks.Remove(network.Id);
        DriverOf(network).Delete(network);
        await _repository.DeleteAsync(network.Id, CancellationToken.None).ConfigureAwait(false);
        NetworkLog.Removed(_logger, network.Name, network.Id.Value);
    }

    private async Task EnsurePredefinedAsync(CancellationToken cancellationToken)
    {
        foreach (var config in new[] { PredefinedNetworks.BridgeConfig, PredefinedNetworks.HostConfig, PredefinedNetworks.NoneConfig })
        {
            if (_networks.Values.Any(n => n.Predefined && n.Name == config.Name))
            {
                continue;
            }

            if (config.Driver == NetworkDrivers.Bridge)
            {
                // A device of that name with no record can only be a leftover of ours (e.g. state wiped): start clean.
                _host.Links.TryDelete(PredefinedNetworks.DefaultBridgeDevice);
                await CreateLockedAsync(config, predefined: true, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var network = new NetworkState
            {
                Id = NetworkId.New(),
                Config = config,
                Created = _time.GetUtcNow(),
                Phase = NetworkPhase.Ready,
                Predefined = true,
            };
            await _repository.SaveAsync(network, cancellationToken).ConfigureAwait(false);
            _networks = _networks.SetItem(network.Id, network);
        }
    }

    private void TryDeleteKernelObjects(NetworkState network)
    {
        try
        {
            DriverOf(network).Delete(network);
        }
        catch (BerthException e)
        {
            NetworkLog.ReconcileFailed(_logger, network.Name, e.Message);
        }
    }

    private INetworkDriver DriverOf(NetworkState network) => DriverNamed(network.Driver);

    private INetworkDriver DriverNamed(string? name)
    {
        string driver = string.IsNullOrEmpty(name) ? NetworkDrivers.Bridge : name;
        return _drivers.TryGetValue(driver, out var found) ? found
            : throw new BerthException(ErrorKind.InvalidArgument,
                $"network driver \"{driver}\" is not supported; use one of: {string.Join(", ", _drivers.Keys.Where(k => k is not (NetworkDrivers.Host or NetworkDrivers.Null)).Order(StringComparer.Ordinal))}");
    }

    /// <summary>Subnets already in use on the host (routes and addresses): default pools must avoid them.</summary>
    private List<IPNetwork> HostNetworks()
    {
        var networks = new List<IPNetwork>();
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            networks.AddRange(_host.Rtnl.Routes.List(family, table: null)
                .Where(r => r.Destination is { PrefixLength: > 0 } && r.Type == Linux.Routes.RouteType.Unicast)
                .Select(r => r.Destination!.Value));
        }

        networks.AddRange(_host.Rtnl.Addresses.List().Select(a => a.Address.Network));
        return networks;
    }

    /// <summary>Docker's lookup: full id, then exact name, then a unique id prefix.</summary>
    internal static NetworkState Find(ImmutableDictionary<NetworkId, NetworkState> networks, string idOrName) =>
        Core.Naming.ObjectResolver.Resolve(Core.Naming.ObjectKind.Network, idOrName, networks.Values, n => n.Id.Value, (n, name) => n.Name == name).GetOrThrow();
}
