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
using Berth.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Network.Networks;

/// <summary>
/// The daemon's networks. The state store is the truth: a network is created by one transaction that claims its name
/// and its subnets with it (so two daemons sharing a store cannot collide), changed by compare-and-swap on its
/// revision, and the in-memory map is a cache fed by this manager's own writes and by a watch on
/// <c>networks/</c> (list, then watch from that revision), so changes of another process sharing the store show up.
/// Every change follows one order: validate everything (name, driver options, IPAM), record the network as
/// <see cref="NetworkPhase.Creating"/> durably, make the kernel objects, record it <see cref="NetworkPhase.Ready"/>.
/// A crash at any point leaves a record that says what to finish or undo, and <see cref="StartAsync"/> does it; a
/// failure undoes at once. This process's changes are serialised (they are rare); reads see an immutable snapshot.
/// </summary>
public sealed partial class NetworkManager : INetworkService, IDisposable
{
    private readonly NetworkRepository _repository;
    private readonly NetworkIpam _ipam;
    private readonly NetworkDriverRegistry _drivers;
    private readonly NetworkNamespace? _host;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _cacheLock = new();
    private readonly RevisionFence _fence = new();
    private readonly CancellationTokenSource _stopping = new();
    private const string SwarmScope = "swarm";

    private ImmutableDictionary<NetworkId, NetworkState> _networks = ImmutableDictionary<NetworkId, NetworkState>.Empty;
    private Task _watch = Task.CompletedTask;

    /// <param name="host">The host's namespace: its routes and addresses are avoided by picked subnets. Null (tests): none.</param>
    public NetworkManager(NetworkRepository repository, NetworkIpam ipam, NetworkDriverRegistry drivers, NetworkNamespace? host, TimeProvider? time = null, ILogger? logger = null)
    {
        _repository = repository;
        Addresses = new AddressClaims(repository.Store);
        _ipam = ipam;
        _drivers = drivers;
        _host = host;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The registered drivers (the endpoint manager, ports and DNS ask them about networks).</summary>
    public NetworkDriverRegistry Drivers => _drivers;

    /// <summary>Container addresses of every network, claimed in the store.</summary>
    public AddressClaims Addresses { get; }

    /// <summary>The store that holds the networks.</summary>
    public IStateStore Store => _repository.Store;

    /// <summary>Whether containers are attached to a network (set by the endpoint manager); such a network cannot be removed.</summary>
    public Func<NetworkId, bool>? IsInUse { get; set; }

    /// <summary>
    /// Loads the stored networks, finishes or undoes what a crash interrupted, re-creates missing
    /// kernel objects of ready networks, makes the predefined networks if they do not exist, and starts
    /// watching the store.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long revision = await _repository.Store.GetRevisionAsync(cancellationToken).ConfigureAwait(false);
            var ready = new List<NetworkState>();
            foreach (var stored in await _repository.LoadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var network = stored.Network;
                if (network.Phase != NetworkPhase.Ready)
                {
                    NetworkLog.Undoing(_logger, network.Name, network.Phase);
                    TryDeleteKernelObjects(network);
                    if (await _repository.DeleteAsync(network.Id, cancellationToken).ConfigureAwait(false) is { } deleted)
                    {
                        Apply(network.Id, null, deleted);
                    }

                    continue;
                }

                try
                {
                    foreach (string repair in _drivers.Of(network).Reconcile(network))
                    {
                        NetworkLog.Repaired(_logger, network.Name, repair);
                    }
                }
                catch (BerthException e)
                {
                    NetworkLog.ReconcileFailed(_logger, network.Name, e.Message);
                }

                ready.Add(network);
                Apply(network.Id, network, stored.ModRevision);
            }

            await _repository.AdoptAsync(ready, cancellationToken).ConfigureAwait(false);
            _watch = WatchStoreAsync(_repository, _fence, revision, _stopping.Token);
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

            if ((checkDuplicate || PredefinedNetworks.IsPredefinedName(config.Name)) && _networks.Values.Any(n => Visible(n) && n.Name == config.Name))
            {
                throw NameTaken(config.Name);
            }

            return await CreateLockedAsync(config, predefined: false, requireName: checkDuplicate || PredefinedNetworks.IsPredefinedName(config.Name), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<IReadOnlyList<NetworkState>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<NetworkState>>([.. _networks.Values.Where(Listed).OrderBy(n => n.Name, StringComparer.Ordinal)]);

    /// <summary>Docker's lookup among the networks users see; a draining one only by its full id (its own endpoints leaving it).</summary>
    public Task<NetworkState> GetAsync(string idOrName, CancellationToken cancellationToken = default) =>
        Task.FromResult(_networks.Values.FirstOrDefault(n => !Visible(n) && n.Id.Value == idOrName) ?? Find(_networks.Values.Where(Visible), idOrName));

    /// <summary>
    /// Removes a network no container uses. A swarm-scoped one that only tasks of removed services are still leaving
    /// (<c>docker stack rm</c> removes the services, then at once their networks) is gone for users at once, as Docker's,
    /// and removed for good when the last of them has left (<see cref="FinishDrainedAsync"/>).
    /// </summary>
    public async Task DeleteAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        if (_networks.Values.Where(Visible).FirstOrDefault(n => n.Id.Value == idOrName || n.Name == idOrName) is { } swarm && IsSwarmScoped(swarm)
            && ServiceUsersAsync is { } services && await services(swarm.Id, cancellationToken).ConfigureAwait(false) is { } service)
        {
            throw new BerthException(ErrorKind.Forbidden, swarm.Config.Ingress
                ? $"rpc error: code = FailedPrecondition desc = ingress network cannot be removed because {service} depends on it"
                : $"rpc error: code = FailedPrecondition desc = network {swarm.Id.Value} is in use by {service}");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var network = Find(_networks.Values.Where(Visible), idOrName);
            if (network.Predefined)
            {
                throw new BerthException(ErrorKind.Forbidden, $"{network.Name} is a pre-defined network and cannot be removed");
            }

            if (IsSwarmScoped(network) && OnlyLeavingUsersAsync is { } leaving && await leaving(network.Id, cancellationToken).ConfigureAwait(false))
            {
                await DrainLockedAsync(network, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (IsInUse?.Invoke(network.Id) == true)
            {
                throw new BerthException(ErrorKind.Forbidden, $"error while removing network: network {network.Name} id {network.Id} has active endpoints");
            }

            await ThrowIfUsedInClusterAsync(network, cancellationToken).ConfigureAwait(false);
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
            // Docker's prune removes local networks only; swarm-scoped ones go by `network rm` on a manager.
            foreach (var network in _networks.Values.Where(n => !n.Predefined && !IsSwarmScoped(n) && IsInUse?.Invoke(n.Id) != true && predicate(n)).OrderBy(n => n.Name, StringComparer.Ordinal))
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

    public void Dispose()
    {
        _stopping.Cancel();
        try
        {
            _watch.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // The watch ends with the cancellation that stopped it.
        }

        _stopping.Dispose();
        _gate.Dispose();
    }

    private async Task<NetworkState> CreateLockedAsync(NetworkConfig config, bool predefined, bool requireName, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var driver = _drivers.Get(config.Driver);
        string driverScope = driver.Capabilities.Scope == NetworkDriverScope.Swarm ? SwarmScope : "local";
        if (config.Scope == SwarmScope && driverScope != SwarmScope)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"network \"{config.Name}\": the {driver.Name} driver makes local networks; scope swarm needs a multi-host driver such as overlay");
        }

        // The driver's own scope (libnetwork's DataScope), never a guess from its name.
        config = config with { Scope = driverScope };
        var (repository, ipam, fence) = ScopeFor(driver);

        if (config.ConfigOnly || config.ConfigFrom is not null)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"network \"{config.Name}\": config-only networks and --config-from are not supported by Berth yet");
        }

        var id = NetworkId.New();
        var hostNetworks = HostNetworks();
        NetworkState network;
        long revision;
        for (int attempt = 0; ; attempt++)
        {
            // Subnet list first, networks second: a network committed in between is in the list we read, one
            // committed later changes the subnet list and fails our compare. Either way IPAM sees every subnet.
            var claims = await repository.LoadSubnetClaimsAsync(cancellationToken).ConfigureAwait(false);
            var existing = (await repository.LoadAllAsync(cancellationToken).ConfigureAwait(false)).Select(s => s.Network).ToList();
            var driverState = driver.Plan(config, id, existing);
            var subnets = ipam.Allocate(config, existing, hostNetworks, driver.Capabilities.NeedsGateway);
            network = new NetworkState
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
            bool claimName = requireName || await repository.NameOwnerAsync(config.Name, cancellationToken).ConfigureAwait(false) is null;
            if (await repository.TryCreateAsync(network, claims, claimName, cancellationToken).ConfigureAwait(false) is { } created)
            {
                revision = created;
                break;
            }

            if (requireName && await repository.NameOwnerAsync(config.Name, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw NameTaken(config.Name);
            }

            if (attempt + 1 >= NetworkRepository.MaxAttempts)
            {
                throw new BerthException(ErrorKind.Unavailable, $"network \"{config.Name}\": other daemons kept creating networks during {NetworkRepository.MaxAttempts} attempts to claim subnets; retry");
            }
        }

        Apply(fence, id, network, revision);
        try
        {
            driver.Create(network);
        }
        catch (BerthException)
        {
            await DeleteRecordAsync(network, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        try
        {
            var ready = await repository.UpdateAsync(id, n => n with { Phase = NetworkPhase.Ready }, CancellationToken.None).ConfigureAwait(false);
            network = ready.Network;
            Apply(fence, id, network, ready.ModRevision);
        }
        catch
        {
            TryDeleteKernelObjects(network);
            await DeleteRecordAsync(network, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        NetworkLog.Created(_logger, network.Name, id.Value, network.Driver, string.Join(",", network.Subnets.Select(s => s.Subnet)), clock.Elapsed.TotalMilliseconds);
        return network;
    }

    private async Task DeleteLockedAsync(NetworkState network, CancellationToken cancellationToken)
    {
        // Marked first: a crash during the kernel work is finished by StartAsync (a manager's AttachClusterAsync for a swarm-scoped one).
        var (repository, fence) = ScopeOf(network);
        var marked = await repository.UpdateAsync(network.Id, n => n with { Phase = NetworkPhase.Deleting }, cancellationToken).ConfigureAwait(false);
        Apply(fence, network.Id, marked.Network, marked.ModRevision);
        _drivers.Of(network).Delete(network);
        await DeleteRecordAsync(network, CancellationToken.None).ConfigureAwait(false);
        NetworkLog.Removed(_logger, network.Name, network.Id.Value);
    }

    private async Task DeleteRecordAsync(NetworkState network, CancellationToken cancellationToken)
    {
        var (repository, fence) = ScopeOf(network);
        if (await repository.DeleteAsync(network.Id, cancellationToken).ConfigureAwait(false) is { } revision)
        {
            Apply(fence, network.Id, null, revision);
        }

        // Claims a crash left behind (endpoints release theirs on disconnect).
        await AddressesOf(network).ForgetNetworkAsync(network.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsurePredefinedAsync(CancellationToken cancellationToken)
    {
        foreach (var config in new[] { PredefinedNetworks.BridgeConfig, PredefinedNetworks.HostConfig, PredefinedNetworks.NoneConfig })
        {
            if (_networks.Values.Any(n => n.Predefined && n.Name == config.Name))
            {
                continue;
            }

            if (_drivers.Get(config.Driver).Capabilities.ConnectsContainers)
            {
                await CreateLockedAsync(config, predefined: true, requireName: false, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // Drivers without kernel objects (host, null) refuse Plan: their one network is recorded as it is.
            var network = new NetworkState
            {
                Id = NetworkId.New(),
                Config = config,
                Created = _time.GetUtcNow(),
                Phase = NetworkPhase.Ready,
                Predefined = true,
            };
            if (await _repository.TryCreateAsync(network, SubnetClaims.Absent, claimName: true, cancellationToken).ConfigureAwait(false) is { } revision)
            {
                Apply(network.Id, network, revision);
            }
        }
    }

    private static BerthException NameTaken(string name) => new(ErrorKind.Conflict, $"network with name {name} already exists");

    private void TryDeleteKernelObjects(NetworkState network)
    {
        try
        {
            _drivers.Of(network).Delete(network);
        }
        catch (BerthException e)
        {
            NetworkLog.ReconcileFailed(_logger, network.Name, e.Message);
        }
    }

    /// <summary>Subnets already in use on the host (routes and addresses): default pools must avoid them.</summary>
    private List<IPNetwork> HostNetworks()
    {
        var networks = new List<IPNetwork>();
        if (_host is null)
        {
            return networks;
        }
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
    internal static NetworkState Find(IEnumerable<NetworkState> networks, string idOrName) =>
        Core.Naming.ObjectResolver.Resolve(Core.Naming.ObjectKind.Network, idOrName, networks, n => n.Id.Value, (n, name) => n.Name == name).GetOrThrow();
}
