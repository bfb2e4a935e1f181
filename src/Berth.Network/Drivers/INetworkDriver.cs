using Berth.Core.Networks;

namespace Berth.Network.Drivers;

/// <summary>
/// A network driver: validates a request before anything is made, makes and removes the
/// network's kernel objects, and after a restart finds them again. Methods are synchronous kernel
/// work; the network manager serialises calls and persists state around them.
/// </summary>
public interface INetworkDriver
{
    /// <summary>The driver's name as Docker spells it (bridge, macvlan, host, null, overlay).</summary>
    string Name { get; }

    /// <summary>Whether IPAM should pick a gateway for this network.</summary>
    bool NeedsGateway(NetworkConfig config);

    /// <summary>
    /// Checks the driver options against this driver and the networks that exist; throws one
    /// <see cref="Berth.Core.Errors.BerthException"/> naming every problem. Makes nothing.
    /// Returns the driver state the network will have (e.g. the bridge name), decided up front so
    /// that it is stored before any kernel object exists.
    /// </summary>
    IReadOnlyDictionary<string, string> Plan(NetworkConfig config, NetworkId id, IReadOnlyCollection<NetworkState> existing);

    /// <summary>Makes the kernel objects of a planned network. On failure it removes what it made and throws.</summary>
    void Create(NetworkState network);

    /// <summary>Removes the kernel objects; idempotent and best effort (collects errors, throws once at the end).</summary>
    void Delete(NetworkState network);

    /// <summary>After a restart: re-creates whatever is missing; returns a description of what was repaired (empty if nothing).</summary>
    IReadOnlyList<string> Reconcile(NetworkState network);
}
