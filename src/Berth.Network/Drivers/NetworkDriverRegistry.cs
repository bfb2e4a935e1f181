using System.Collections.Frozen;
using Berth.Core.Errors;
using Berth.Core.Networks;

namespace Berth.Network.Drivers;

/// <summary>
/// The network drivers berthd knows, by name: built once by the daemon (the one place that lists drivers) and
/// shared by the network and endpoint managers, port publishing and the embedded DNS. An unknown driver is an error
/// naming the drivers a user may ask for, never a silent bridge.
/// </summary>
public sealed class NetworkDriverRegistry
{
    private static readonly NetworkDriverCapabilities NoCapabilities = new();

    private readonly FrozenDictionary<string, INetworkDriver> _drivers;

    public NetworkDriverRegistry(IEnumerable<INetworkDriver> drivers)
    {
        ArgumentNullException.ThrowIfNull(drivers);
        var byName = new Dictionary<string, INetworkDriver>(StringComparer.Ordinal);
        foreach (var driver in drivers)
        {
            if (!byName.TryAdd(driver.Name, driver))
            {
                throw new ArgumentException($"network driver \"{driver.Name}\" is registered twice", nameof(drivers));
            }
        }

        _drivers = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Every registered driver.</summary>
    public IReadOnlyCollection<INetworkDriver> All => _drivers.Values;

    /// <summary>The registered names, in ordinal order.</summary>
    public IReadOnlyList<string> Names => [.. _drivers.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The driver of that name (empty: bridge, Docker's default). InvalidArgument naming the known ones otherwise.</summary>
    public INetworkDriver Get(string? name)
    {
        string driver = string.IsNullOrEmpty(name) ? NetworkDrivers.Bridge : name;
        return _drivers.TryGetValue(driver, out var found) ? found
            : throw new BerthException(ErrorKind.InvalidArgument,
                $"network driver \"{driver}\" is not supported; use one of: {string.Join(", ", _drivers.Values.Where(d => !d.Capabilities.Singleton).Select(d => d.Name).Order(StringComparer.Ordinal))}");
    }

    public INetworkDriver Of(NetworkState network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Get(network.Driver);
    }

    /// <summary>What the network is on this host, from its driver (<see cref="NetworkHostView.None"/> for an unknown driver).</summary>
    public NetworkHostView Describe(NetworkState network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return _drivers.TryGetValue(string.IsNullOrEmpty(network.Driver) ? NetworkDrivers.Bridge : network.Driver, out var driver)
            ? driver.Describe(network)
            : NetworkHostView.None;
    }

    /// <summary>The capabilities of the network's driver; a network of a driver this berthd lacks has none.</summary>
    public NetworkDriverCapabilities CapabilitiesOf(NetworkState network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return _drivers.TryGetValue(string.IsNullOrEmpty(network.Driver) ? NetworkDrivers.Bridge : network.Driver, out var driver)
            ? driver.Capabilities
            : NoCapabilities;
    }
}
