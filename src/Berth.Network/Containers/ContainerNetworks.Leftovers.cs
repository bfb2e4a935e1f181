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
    /// node is back in its swarm) keeps its endpoints and namespace as they are: its task's removal (the swarm agent's)
    /// or the user's <c>rm</c> releases them, with the network known by then. Returns the ids whose endpoints were released.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReleaseLeftoversAsync(IReadOnlySet<string> running, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(running);
        var loaded = (await endpoints.ListNetworksAsync(cancellationToken).ConfigureAwait(false)).Select(n => n.Id).ToHashSet();
        var leftovers = endpoints.Owners(id => ContainerId.TryParse(id, out _) && !running.Contains(id));
        var released = leftovers.Where(id => endpoints.OfContainer(id).All(e => loaded.Contains(e.NetworkId))).ToList();
        foreach (string id in released)
        {
            await ReleaseAsync(id, id, cancellationToken).ConfigureAwait(false);
        }

        var kept = running.Concat(leftovers.Except(released, StringComparer.Ordinal)).Select(NamespaceName).ToHashSet(StringComparer.Ordinal);
        foreach (string name in namespaces.List().Where(n => IsContainerNamespace(n) && !kept.Contains(n)))
        {
            namespaces.Delete(name);
        }

        return released;
    }

    private static bool IsContainerNamespace(string name) =>
        name.Length == 2 + 12 && name.StartsWith("c-", StringComparison.Ordinal) && name.AsSpan(2).IndexOfAnyExcept(LowerHex) < 0;
}
