using Berth.Core.Errors;

namespace Berth.Runtime.Images;

public sealed partial class ImageStore
{
    /// <summary>Characters of an id in Docker's short form (<c>docker images</c>, conflict messages).</summary>
    private const int ShortImageIdLength = 12;

    /// <summary>
    /// <c>docker rmi</c>: removing by reference untags it, and deletes the image once no reference is
    /// left; removing by id deletes the image (with <paramref name="force"/> even if several references
    /// point at it). Layers no other image uses are deleted too.
    /// </summary>
    public async Task<IReadOnlyList<ImageDeleteResult>> RemoveAsync(string nameOrId, bool force = false, CancellationToken cancellationToken = default)
    {
        var results = new List<ImageDeleteResult>();
        var doomedLayers = new List<string>();
        string? deletedId = null;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = State;
            var image = Resolve(state, nameOrId, out var reference);
            if (reference is not null && image.References.Length > 1 && !force)
            {
                state = state with
                {
                    Images = state.Images.SetItem(image.Id, image with { References = image.References.Remove(reference.FullName) }),
                };
                results.Add(new ImageDeleteResult(reference.FamiliarString, null));
                await PublishAsync(state, cancellationToken).ConfigureAwait(false);
                return results;
            }

            if (reference is null && image.References.Length > 1 && !force)
            {
                throw new BerthException(ErrorKind.Conflict,
                    $"conflict: unable to delete {Digests.Hex(image.Id)[..ShortImageIdLength]} (must be forced) - image is referenced in multiple repositories");
            }

            results.AddRange(image.References.Select(r => new ImageDeleteResult(ImageReference.Parse(r).FamiliarString, null)));
            state = state with { Images = state.Images.Remove(image.Id) };
            var unused = state.UnusedLayers().Where(l => !_leases.ContainsKey(l)).ToList();
            foreach (string layer in unused)
            {
                state = state with { Layers = state.Layers.Remove(layer) };
            }

            // The state goes first: a crash after it leaves only orphans, which the next open removes.
            await PublishAsync(state, cancellationToken).ConfigureAwait(false);
            deletedId = image.Id;
            results.Add(new ImageDeleteResult(null, image.Id));

            // Renamed away under the gate, so a concurrent unpack never finds (and shares) a directory
            // that is about to disappear; the slow recursive delete happens after.
            foreach (string layer in unused)
            {
                string doomed = Path.Join(TempDirectory, "doomed-" + Guid.NewGuid().ToString("N"));
                if (Directory.Exists(LayerDirectory(layer)))
                {
                    Directory.Move(LayerDirectory(layer), doomed);
                    doomedLayers.Add(doomed);
                }

                results.Add(new ImageDeleteResult(null, layer));
                ImagesLog.LayerDeleted(_logger, layer);
            }
        }
        finally
        {
            _gate.Release();
        }

        // Outside the gate: teardown is best effort and slow for big layers.
        TryDelete(BlobPath(deletedId));
        ImagesLog.ImageDeleted(_logger, deletedId);
        foreach (string doomed in doomedLayers)
        {
            TryDelete(doomed);
        }

        return results;
    }
}
