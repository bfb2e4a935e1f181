using System.Collections.Immutable;
using System.Net;
using Berth.Core.Errors;
using Berth.Core.Networks;
using Berth.Network.Networks;

namespace Berth.Api.Tests;

/// <summary>
/// Networks in memory with Docker's error wording; stands in for the real network manager.
/// <see cref="NextError"/> makes the next call fail, to test the error mapping.
/// </summary>
internal sealed class FakeNetworkService : INetworkService
{
    private readonly Lock _gate = new();
    private ImmutableList<NetworkState> _networks;
    private int _nextPool = 18;

    public FakeNetworkService()
    {
        DateTimeOffset boot = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        _networks =
        [
            Predefined("bridge", NetworkDrivers.Bridge, boot, new Dictionary<string, string>
            {
                ["com.docker.network.bridge.default_bridge"] = "true",
                ["com.docker.network.bridge.enable_icc"] = "true",
                ["com.docker.network.bridge.enable_ip_masquerade"] = "true",
                ["com.docker.network.bridge.host_binding_ipv4"] = "0.0.0.0",
                ["com.docker.network.bridge.name"] = "berth0",
                ["com.docker.network.driver.mtu"] = "1500",
            }, new SubnetAllocation { Subnet = IPNetwork.Parse("172.17.0.0/16"), Gateway = IPAddress.Parse("172.17.0.1") }),
            Predefined("host", NetworkDrivers.Host, boot, [], null),
            Predefined("none", NetworkDrivers.Null, boot, [], null),
        ];
    }

    public Exception? NextError { get; set; }

    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public IReadOnlyList<NetworkState> Networks => _networks;

    public Task<NetworkState> CreateAsync(NetworkConfig config, bool checkDuplicate = true, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowInjected();

            // As the network manager does: no scope asked for means the driver's own.
            if (string.IsNullOrEmpty(config.Scope))
            {
                config = config with { Scope = config.Driver == NetworkDrivers.Overlay ? "swarm" : "local" };
            }

            if (_networks.Any(n => n.Predefined && n.Name == config.Name))
            {
                throw new BerthException(ErrorKind.Forbidden, $"{config.Name} is a pre-defined network and cannot be created");
            }

            if (config.Driver is NetworkDrivers.Host or NetworkDrivers.Null)
            {
                throw new BerthException(ErrorKind.Forbidden, $"only one instance of \"{config.Driver}\" network is allowed");
            }

            if (checkDuplicate && _networks.Any(n => n.Name == config.Name))
            {
                throw new BerthException(ErrorKind.Conflict, $"network with name {config.Name} already exists");
            }

            ImmutableArray<SubnetAllocation> subnets = config.Ipam.Config.IsEmpty
                ? [new SubnetAllocation { Subnet = IPNetwork.Parse($"172.{_nextPool}.0.0/16"), Gateway = IPAddress.Parse($"172.{_nextPool++}.0.1") }]
                : [.. config.Ipam.Config.Select(Allocate)];
            var state = new NetworkState
            {
                Id = NetworkId.New(),
                Config = config,
                Created = Now,
                Subnets = subnets,
                Phase = NetworkPhase.Ready,
            };
            _networks = _networks.Add(state);
            return Task.FromResult(state);
        }
    }

    public Task<IReadOnlyList<NetworkState>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowInjected();
            return Task.FromResult<IReadOnlyList<NetworkState>>(_networks);
        }
    }

    public Task<NetworkState> GetAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowInjected();
            return Task.FromResult(Find(idOrName));
        }
    }

    public Task DeleteAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowInjected();
            NetworkState network = Find(idOrName);
            if (network.Predefined)
            {
                throw new BerthException(ErrorKind.Forbidden, $"{network.Name} is a pre-defined network and cannot be removed");
            }

            _networks = _networks.Remove(network);
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<NetworkState>> PruneAsync(Func<NetworkState, bool> predicate, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowInjected();
            var removed = _networks.Where(n => !n.Predefined && predicate(n)).ToList();
            _networks = _networks.RemoveRange(removed);
            return Task.FromResult<IReadOnlyList<NetworkState>>(removed);
        }
    }

    private NetworkState Find(string idOrName)
    {
        NetworkState? match = _networks.FirstOrDefault(n => n.Id.Value == idOrName) ?? _networks.FirstOrDefault(n => n.Name == idOrName);
        if (match is not null)
        {
            return match;
        }

        var byPrefix = _networks.Where(n => n.Id.Value.StartsWith(idOrName, StringComparison.Ordinal)).ToList();
        return byPrefix.Count switch
        {
            1 => byPrefix[0],
            0 => throw new BerthException(ErrorKind.NotFound, $"network {idOrName} not found"),
            _ => throw new BerthException(ErrorKind.InvalidArgument, $"network {idOrName} is ambiguous ({byPrefix.Count} matches found based on ID prefix)"),
        };
    }

    private void ThrowInjected()
    {
        if (NextError is { } error)
        {
            NextError = null;
            throw error;
        }
    }

    private static SubnetAllocation Allocate(IpamPoolRequest pool)
    {
        IPNetwork subnet = IPNetwork.Parse(pool.Subnet!);
        byte[] first = subnet.BaseAddress.GetAddressBytes();
        first[^1]++;
        return new SubnetAllocation
        {
            Subnet = subnet,
            Gateway = pool.Gateway is null ? new IPAddress(first) : IPAddress.Parse(pool.Gateway),
            IPRange = pool.IPRange is null ? null : IPNetwork.Parse(pool.IPRange),
            AuxiliaryAddresses = pool.AuxiliaryAddresses?.ToImmutableDictionary(p => p.Key, p => IPAddress.Parse(p.Value)) ?? ImmutableDictionary<string, IPAddress>.Empty,
            Requested = true,
        };
    }

    private static NetworkState Predefined(string name, string driver, DateTimeOffset created, Dictionary<string, string> options, SubnetAllocation? subnet) => new()
    {
        Id = NetworkId.New(),
        Config = new NetworkConfig { Name = name, Driver = driver, Options = options.ToImmutableDictionary() },
        Created = created,
        Subnets = subnet is null ? [] : [subnet],
        Phase = NetworkPhase.Ready,
        Predefined = true,
    };
}
