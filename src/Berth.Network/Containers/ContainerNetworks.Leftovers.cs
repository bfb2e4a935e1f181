using System.Buffers;
using Berth.Core.Containers;

namespace Berth.Network.Containers;

public sealed partial class ContainerNetworks
{
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// berthd's start, before anything is served: what a crash left of container runs that are not running — the
    /// endpoints (addresses, veths, DNS records) of containers the store does not have running, and their namespaces —
    /// is released, so nothing of a container is in the kernel that the store does not know. Only containers' own
    /// (ids of 64 hex digits, namespaces <c>c-</c> and 12 of them): builds and the ingress entry have their own.
    /// A container with an endpoint on a network not loaded yet (a swarm's, which comes from the cluster store once the
    /// node is back in its swarm) loses its namespace now, and its endpoints wait withheld for the network
    /// (<see cref="ReleaseAsync"/>). Returns the ids whose endpoints were released whole.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReleaseLeftoversAsync(IReadOnlySet<string> running, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(running);
        var released = new List<string>();
        foreach (string id in endpoints.Owners(id => ContainerId.TryParse(id, out _) && !running.Contains(id)))
        {
            if (await ReleaseAsync(id, id, cancellationToken).ConfigureAwait(false))
            {
                released.Add(id);
            }
        }

        var kept = running.Select(NamespaceName).ToHashSet(StringComparer.Ordinal);
        foreach (string name in namespaces.List().Where(n => IsContainerNamespace(n) && !kept.Contains(n)))
        {
            namespaces.Delete(name);
        }

        return released;
    }

    private static bool IsContainerNamespace(string name) =>
        name.Length == 2 + 12 && name.StartsWith("c-", StringComparison.Ordinal) && name.AsSpan(2).IndexOfAnyExcept(LowerHex) < 0;
}
