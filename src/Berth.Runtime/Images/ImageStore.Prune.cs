using Berth.Core.Errors;

namespace Berth.Runtime.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// <c>docker image prune</c>: every image no container uses that is dangling (no reference), or every unused image when
    /// <paramref name="danglingOnly"/> is false, and that <paramref name="select"/> accepts. Reclaimed space counts the
    /// layers actually deleted.
    /// </summary>
    public async Task<ImagePruneResult> PruneAsync(
        bool danglingOnly, Func<ImageDetails, bool> select, Func<string, IReadOnlyList<ImageUser>> usersOf, CancellationToken cancellationToken = default)
    {
        var deleted = new List<ImageDeleteResult>();
        long reclaimed = 0;
        foreach (var image in State.Images.Values.OrderBy(i => i.Created))
        {
            if ((danglingOnly && image.References.Length > 0) || usersOf(image.Id).Count > 0 || !select(Inspect(image.Id)))
            {
                continue;
            }

            var layerSizes = State.Layers;
            try
            {
                var results = await RemoveAsync(image.Id, force: true, usersOf, cancellationToken).ConfigureAwait(false);
                deleted.AddRange(results);
                reclaimed += results.Where(r => r.Deleted is { } d && d != image.Id && layerSizes.ContainsKey(d)).Sum(r => layerSizes[r.Deleted!]);
            }
            catch (BerthException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.Conflict)
            {
                // Removed or taken into use meanwhile: not ours to prune any more.
            }
        }

        return new ImagePruneResult(deleted, reclaimed);
    }
}
