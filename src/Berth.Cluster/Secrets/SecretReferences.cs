using System.Collections.Immutable;
using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Store;

namespace Berth.Cluster.Secrets;

/// <summary>
/// A service's side of the fence (README): the secrets and configs its spec references must exist under the names
/// given (swarmkit <c>checkSecretExistence</c>), and its create or update transaction compares each one's fence key as
/// read here and rewrites it, so a removal that checked the services before this commit fails and reads again.
/// </summary>
internal static class SecretReferences
{
    private static readonly byte[] FenceValue = [(byte)'1'];

    private static readonly SecretKind[] Kinds = [SecretKind.Secret, SecretKind.Config];

    public static ImmutableArray<TaskFileReference> Of(ContainerTaskSpec container, SecretKind kind) =>
        kind == SecretKind.Secret ? container.Secrets : container.Configs;

    /// <summary>The compares and puts a service's transaction adds; InvalidArgument naming what is missing.</summary>
    public static async Task<(ImmutableArray<StoreCompare> Compares, ImmutableArray<StoreOperation> Puts)> FenceAsync(IStateStore store, ContainerTaskSpec container,
        CancellationToken cancellationToken)
    {
        var compares = ImmutableArray.CreateBuilder<StoreCompare>();
        var puts = ImmutableArray.CreateBuilder<StoreOperation>();
        foreach (SecretKind kind in Kinds)
        {
            var missing = new List<string>();
            foreach (TaskFileReference reference in Of(container, kind).DistinctBy(r => r.Id))
            {
                StoreEntry? record = SecretId.TryParse(reference.Id, out SecretId id) ? await store.GetAsync(kind.Record(id), cancellationToken).ConfigureAwait(false) : null;
                if (record is null || SecretManager.Read(record.Value).Name != reference.Name)
                {
                    missing.Add(reference.Name);
                    continue;
                }

                long fence = (await store.GetAsync(kind.FenceKey(id), cancellationToken).ConfigureAwait(false))?.ModRevision ?? 0;
                compares.Add(new StoreCompare(kind.FenceKey(id), fence));
                puts.Add(StoreOperation.Put(kind.FenceKey(id), FenceValue));
            }

            if (missing.Count > 0)
            {
                throw SecretErrors.Missing(kind, missing);
            }
        }

        return (compares.ToImmutable(), puts.ToImmutable());
    }
}
