using System.Globalization;
using Berth.Core.Errors;
using Berth.Runtime.Volumes;

namespace Berth.Runtime.Engine;

/// <summary><c>docker container prune</c> and <c>docker rm --link</c>.</summary>
public sealed partial class ContainerLifecycle
{
    public async Task<ContainerPruneResult> PruneAsync(Func<ContainerRecord, bool> matches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var deleted = new List<string>();
        long reclaimed = 0;
        foreach (var candidate in records.All.Values.OrderBy(r => r.Created))
        {
            using (await slots.LockAsync(candidate.Id, cancellationToken).ConfigureAwait(false))
            {
                // Read again under the lock: started or removed meanwhile, it is not pruned.
                if (records.TryGet(candidate.Id) is not { Status: ContainerStatus.Created or ContainerStatus.Exited } record || !matches(record))
                {
                    continue;
                }

                long size = DirectorySize.Of(directories.PathsOf(record.Id).Upper);
                await runner.RemoveLockedAsync(record.Id, cancellationToken).ConfigureAwait(false);
                deleted.Add(record.Id.Value);
                reclaimed += size;
            }
        }

        events.Prune("container", reclaimed);
        return new ContainerPruneResult(deleted, reclaimed);
    }

    public async Task RemoveLinkAsync(string linkName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(linkName);
        string name = linkName.StartsWith('/') ? linkName : "/" + linkName;
        int slash = name.LastIndexOf('/');
        string parentName = name[..slash];
        string alias = name[(slash + 1)..];
        if (parentName.Length == 0)
        {
            // moby rmLink: a container's own name is not a link. Docker answers 500 (a plain error); it is the
            // client's conflict, so 409 here (found by the API fuzzer: no input may get a 5xx).
            throw new BerthException(ErrorKind.Conflict, "Conflict, cannot remove the default link name of the container");
        }

        var parent = records.Find(parentName.TrimStart('/'));
        using (await slots.LockAsync(parent.Id, cancellationToken).ConfigureAwait(false))
        {
            parent = records.Get(parent.Id);
            if (!parent.LegacyLinks.Any(l => l.Alias == alias))
            {
                throw new BerthException(ErrorKind.NotFound, $"No such container: {linkName}");
            }

            await records.SaveAsync(parent.Id, r => r with { LegacyLinks = [.. r.LegacyLinks.Where(l => l.Alias != alias)] }, cancellationToken).ConfigureAwait(false);
        }
    }
}
