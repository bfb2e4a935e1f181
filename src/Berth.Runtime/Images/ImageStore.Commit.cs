using System.Text.Json;

namespace Berth.Runtime.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// <c>docker commit</c>: <paramref name="writeLayer"/> writes the container's changes as a layer tar into a file of
    /// the store (returning how many entries it wrote), which becomes the new image's top layer over the parent's; the
    /// config is the parent's with <see cref="ImageCommit.Config"/> and one more history step (moby
    /// <c>image.NewChildImage</c>: an empty layer is recorded as <c>empty_layer</c> and adds no diff id). Without a parent
    /// (a build <c>FROM scratch</c>) the image starts with no layers and an empty config. Returns the id.
    /// </summary>
    public async Task<string> CommitContainerAsync(ImageCommit commit, Func<Stream, CancellationToken, Task<int>> writeLayer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(writeLayer);
        var target = commit.Reference is null or "" ? null : ImageReference.Parse(commit.Reference);
        var parent = commit.ParentId is null ? null : Inspect(commit.ParentId);
        IReadOnlyList<string> parentDiffIds = parent is null ? [] : State.Images[parent.Id].DiffIds;
        var parentConfig = parent?.Config ?? new ImageConfig { Architecture = ManifestSelector.CurrentArchitecture, Os = "linux" };
        string tarFile = NewTempFile();
        var leases = new List<string>();
        try
        {
            int entries;
            var file = new FileStream(tarFile, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                entries = await writeLayer(file, cancellationToken).ConfigureAwait(false);
            }

            foreach (string diffId in parentDiffIds)
            {
                _ = await TryReuseLayerAsync(diffId, leases, cancellationToken).ConfigureAwait(false);
            }

            var layers = parentDiffIds.Select(d => (DiffId: d, Size: State.Layers.GetValueOrDefault(d))).ToList();
            bool empty = entries == 0;
            if (!empty)
            {
                var layer = await StoreLayerAsync(tarFile, leases, cancellationToken).ConfigureAwait(false);
                layers.Add((layer.DiffId, layer.Size));
            }

            string created = FormatCreated(DateTimeOffset.UtcNow);
            var config = parentConfig with
            {
                Created = created,
                Author = commit.Author.Length == 0 ? null : commit.Author,
                Config = commit.Config,
                RootFs = new RootFs { DiffIds = [.. layers.Select(l => l.DiffId)] },
                History =
                [
                    .. parentConfig.History ?? [],
                    new HistoryEntry
                    {
                        Created = created,
                        Author = commit.Author.Length == 0 ? null : commit.Author,
                        CreatedBy = commit.CreatedBy,
                        Comment = commit.Comment.Length == 0 ? null : commit.Comment,
                        EmptyLayer = empty,
                    },
                ],
            };
            byte[] configBytes = JsonSerializer.SerializeToUtf8Bytes(config, ImagesJsonContext.Default.ImageConfig);
            return await CommitAsync(configBytes, layers, target is null ? [] : [target], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Release(leases);
            TryDelete(tarFile);
        }
    }
}
