using System.Collections.Concurrent;

namespace Berth.Network.Endpoints;

/// <summary>Endpoints of containers that are not running any more, waiting for their release.</summary>
public sealed partial class EndpointManager
{
    /// <summary>
    /// Containers whose run ended while a network of theirs was not loaded (a swarm's, which comes from the cluster
    /// store only once the node is back in its swarm): their endpoints wait for it to be released, and meanwhile are
    /// never published to the cluster (the node's other endpoints are, when its link is applied), so no node names or
    /// balances to a container that does not run.
    /// </summary>
    private readonly ConcurrentDictionary<string, byte> _withheld = new(StringComparer.Ordinal);

    /// <summary>Raised after the known networks changed (one created, removed, or the cluster's loaded or dropped).</summary>
    public event Action? NetworksChanged
    {
        add => _networks.NetworksChanged += value;
        remove => _networks.NetworksChanged -= value;
    }

    /// <summary>The containers whose endpoints wait for their release (<see cref="Withhold"/>).</summary>
    public IReadOnlyList<string> Withheld => [.. _withheld.Keys];

    /// <summary>The container's endpoints are not published to the cluster until <see cref="EndWithholding"/> (their release).</summary>
    public void Withhold(string containerId) => _withheld[containerId] = 0;

    /// <summary>The container's endpoints were released: nothing of it is withheld any more.</summary>
    public void EndWithholding(string containerId) => _withheld.TryRemove(containerId, out _);

    private bool IsWithheld(EndpointState endpoint) => _withheld.ContainsKey(endpoint.ContainerId);
}
