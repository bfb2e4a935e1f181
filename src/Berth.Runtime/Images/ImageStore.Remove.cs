using Berth.Core.Errors;

namespace Berth.Runtime.Images;

public sealed partial class ImageStore
{
    /// <summary>Characters of an id in Docker's short form (<c>docker images</c>, conflict messages).</summary>
    private const int ShortImageIdLength = 12;

    /// <summary><c>docker rmi</c> with no containers to consider.</summary>
    public Task<IReadOnlyList<ImageDeleteResult>> RemoveAsync(string nameOrId, bool force = false, CancellationToken cancellationToken = default) =>
        RemoveAsync(nameOrId, force, static _ => [], cancellationToken);

    /// <summary>
    /// <c>docker rmi</c> as moby decides it. By reference: the reference is untagged; if it was the last one the image is
    /// deleted too, unless a container uses it (then 409 "must force" — with force the image stays, dangling, while a
    /// container uses it). By id: every reference goes with the image, which needs force when several repositories point at
    /// it or a stopped container uses it, and cannot be deleted at all while a running container does. Layers no other
    /// image uses are deleted too. <paramref name="usersOf"/> names the containers made from an image id.
    /// </summary>
    public async Task<IReadOnlyList<ImageDeleteResult>> RemoveAsync(
        string nameOrId, bool force, Func<string, IReadOnlyList<ImageUser>> usersOf, CancellationToken cancellationToken = default)
    {
        var results = new List<ImageDeleteResult>();
        var doomed = new List<string>();
        string? deletedId = null;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = State;
            var image = Resolve(state, nameOrId, out var reference);
            var users = usersOf(image.Id);
            bool removedReference = false;
            if (reference is not null)
            {
                if (!force && image.References.Length == 1 && users.Count > 0)
                {
                    throw new BerthException(ErrorKind.Conflict,
                        $"conflict: unable to remove repository reference \"{nameOrId}\" (must force) - container {users[0].ContainerId[..ShortImageIdLength]} is using its referenced image {ShortId(image.Id)}");
                }

                image = image with { References = image.References.Remove(reference.FullName) };
                state = state with { Images = state.Images.SetItem(image.Id, image) };
                results.Add(new ImageDeleteResult(reference.FamiliarString, null));
                if (image.References.Length > 0)
                {
                    await PublishAsync(state, cancellationToken).ConfigureAwait(false);
                    return results;
                }

                removedReference = true;
            }
            else if (image.References.Length <= 1 && DeleteConflict(image, users, hardOnly: force, checkReferences: false) is { } byIdConflict)
            {
                throw byIdConflict;
            }

            if (DeleteConflict(image, users, hardOnly: force, checkReferences: true) is { } conflict)
            {
                // moby: once the last reference is gone, an image still in use stays (dangling) and that is no error.
                if (removedReference && users.Count > 0)
                {
                    await PublishAsync(state, cancellationToken).ConfigureAwait(false);
                    return results;
                }

                throw conflict;
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
            foreach (string layer in unused)
            {
                MoveAway(layer, doomed);
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
        foreach (string path in doomed)
        {
            TryDelete(path);
        }

        return results;
    }

    /// <summary>
    /// Renames a layer's directory and tar away (under the gate), so a concurrent unpack never finds and shares what is
    /// about to disappear; the slow delete happens later.
    /// </summary>
    private void MoveAway(string diffId, List<string> doomed)
    {
        foreach (string path in new[] { LayerDirectory(diffId), LayerTarPath(diffId) })
        {
            string target = Path.Join(TempDirectory, "doomed-" + Guid.NewGuid().ToString("N"));
            if (Directory.Exists(path))
            {
                Directory.Move(path, target);
                doomed.Add(target);
            }
            else if (File.Exists(path))
            {
                File.Move(path, target);
                doomed.Add(target);
            }
        }
    }

    /// <summary>moby's conflict order: a running container (never forced), other references, a stopped container.</summary>
    private static BerthException? DeleteConflict(ImageRecord image, IReadOnlyList<ImageUser> users, bool hardOnly, bool checkReferences)
    {
        string id = ShortId(image.Id);
        if (users.FirstOrDefault(u => u.Running) is { } running)
        {
            return new BerthException(ErrorKind.Conflict,
                $"conflict: unable to delete {id} (cannot be forced) - image is being used by running container {running.ContainerId[..ShortImageIdLength]}");
        }

        if (hardOnly)
        {
            return null;
        }

        if (checkReferences && image.References.Length > 1)
        {
            return new BerthException(ErrorKind.Conflict, $"conflict: unable to delete {id} (must be forced) - image is referenced in multiple repositories");
        }

        if (users.FirstOrDefault(u => !u.Running) is { } stopped)
        {
            return new BerthException(ErrorKind.Conflict,
                $"conflict: unable to delete {id} (must be forced) - image is being used by stopped container {stopped.ContainerId[..ShortImageIdLength]}");
        }

        return null;
    }

    private static string ShortId(string id) => Digests.Hex(id)[..ShortImageIdLength];
}
