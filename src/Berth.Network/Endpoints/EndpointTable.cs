using System.Collections;
using System.Collections.Immutable;

namespace Berth.Network.Endpoints;

/// <summary>
/// Every endpoint berthd knows, immutable (replaced whole under the manager's gate, read without it), in the order
/// they were made, and indexed by container: a container's own are found without a walk over all of them. With 500
/// containers that walk took ~0.15 ms on this kind of machine, several times per start; the 500th container's start
/// (and its published port, bench/run.sh networking) should cost what the first one's did.
/// </summary>
internal sealed class EndpointTable : IEnumerable<EndpointState>
{
    public static readonly EndpointTable Empty = new([], ImmutableDictionary.Create<string, ImmutableArray<EndpointState>>(StringComparer.Ordinal));

    private readonly ImmutableList<EndpointState> _all;
    private readonly ImmutableDictionary<string, ImmutableArray<EndpointState>> _byContainer;

    private EndpointTable(ImmutableList<EndpointState> all, ImmutableDictionary<string, ImmutableArray<EndpointState>> byContainer)
    {
        _all = all;
        _byContainer = byContainer;
    }

    public int Count => _all.Count;

    public static EndpointTable Of(IEnumerable<EndpointState> endpoints) => endpoints.Aggregate(Empty, (table, endpoint) => table.Add(endpoint));

    /// <summary>The container's endpoints, in the order they were made.</summary>
    public ImmutableArray<EndpointState> OfContainer(string containerId) => _byContainer.GetValueOrDefault(containerId, []);

    /// <summary>The container's endpoint on the network, or null.</summary>
    public EndpointState? Find(string containerId, Core.Networks.NetworkId network) =>
        OfContainer(containerId).FirstOrDefault(e => e.NetworkId == network);

    public EndpointTable Add(EndpointState endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new(_all.Add(endpoint), _byContainer.SetItem(endpoint.ContainerId, OfContainer(endpoint.ContainerId).Add(endpoint)));
    }

    public EndpointTable Remove(EndpointState endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var rest = OfContainer(endpoint.ContainerId).Remove(endpoint);
        return new(_all.Remove(endpoint), rest.IsEmpty ? _byContainer.Remove(endpoint.ContainerId) : _byContainer.SetItem(endpoint.ContainerId, rest));
    }

    /// <summary>Adds the endpoint, or replaces the container's endpoint on the same network.</summary>
    public EndpointTable Set(EndpointState endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Find(endpoint.ContainerId, endpoint.NetworkId) is { } current ? Replace(current, endpoint) : Add(endpoint);
    }

    /// <summary>Removes the container's endpoint on the network, if there is one.</summary>
    public EndpointTable Remove(string containerId, Core.Networks.NetworkId network) =>
        Find(containerId, network) is { } current ? Remove(current) : this;

    /// <summary>Puts <paramref name="updated"/> where <paramref name="current"/> was (the same container's endpoint, changed).</summary>
    public EndpointTable Replace(EndpointState current, EndpointState updated)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(updated);
        if (current.ContainerId != updated.ContainerId)
        {
            return Remove(current).Add(updated);
        }

        return new(_all.Replace(current, updated), _byContainer.SetItem(current.ContainerId, OfContainer(current.ContainerId).Replace(current, updated)));
    }

    public IEnumerator<EndpointState> GetEnumerator() => _all.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
