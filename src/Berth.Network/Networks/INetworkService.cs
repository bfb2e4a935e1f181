using Berth.Core.Networks;

namespace Berth.Network.Networks;

/// <summary>
/// The networks of this daemon: what the API layer calls. Implementations validate everything
/// first, then make kernel objects, then persist; a failure leaves nothing behind.
/// Errors are <see cref="Berth.Core.Errors.BerthException"/>s with Docker's wording.
/// </summary>
public interface INetworkService
{
    /// <summary>
    /// Creates a network. With <paramref name="checkDuplicate"/> false a second network may take an
    /// existing name (API below 1.44 with <c>CheckDuplicate:false</c>).
    /// Conflict: <c>network with name X already exists</c>; Forbidden for host/none duplicates.
    /// </summary>
    Task<NetworkState> CreateAsync(NetworkConfig config, bool checkDuplicate = true, CancellationToken cancellationToken = default);

    /// <summary>Every network (predefined included), ready or not.</summary>
    Task<IReadOnlyList<NetworkState>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>By full id, exact name, or unique id prefix. NotFound: <c>network X not found</c>.</summary>
    Task<NetworkState> GetAsync(string idOrName, CancellationToken cancellationToken = default);

    /// <summary>Removes a network. Forbidden for predefined ones: <c>bridge is a pre-defined network and cannot be removed</c>.</summary>
    Task DeleteAsync(string idOrName, CancellationToken cancellationToken = default);

    /// <summary>Removes every unused, non-predefined network the predicate accepts; returns the removed ones.</summary>
    Task<IReadOnlyList<NetworkState>> PruneAsync(Func<NetworkState, bool> predicate, CancellationToken cancellationToken = default);
}
