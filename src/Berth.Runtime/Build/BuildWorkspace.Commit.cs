using Berth.Runtime.Files;
using Berth.Runtime.Images;

namespace Berth.Runtime.Build;

public sealed partial class BuildWorkspace
{
    /// <summary>
    /// A step that changed files (<c>RUN</c>, <c>COPY</c>, <c>ADD</c>): the snapshot's upper directory becomes a layer
    /// over its image's (whiteouts for deletions, opaque directories; an upper with no change gives an empty layer, as
    /// moby's does), the config is the parent's with <paramref name="commit"/>'s changes, and the history gets its
    /// entry. Stored untagged, atomically: a step that fails stores nothing. Returns the new image's id.
    /// </summary>
    public async Task<string> CommitStepAsync(BuildSnapshot snapshot, BuildCommitSpec commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await snapshot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string upper = snapshot.UpperDirectory;
            return await CommitAsync(snapshot.ImageId, commit, (stream, token) => UpperLayerArchive.WriteAsync(upper, stream, runtime.UserNamespace, token), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            snapshot.Gate.Release();
        }
    }

    /// <summary>
    /// A metadata step (<c>ENV</c>, <c>CMD</c>, <c>LABEL</c>…): no snapshot, no layer — a history entry with
    /// <c>empty_layer</c> and the changed config over <paramref name="parentImageId"/> (null: <c>FROM scratch</c>).
    /// </summary>
    public Task<string> CommitMetadataAsync(string? parentImageId, BuildCommitSpec commit, CancellationToken cancellationToken = default) =>
        CommitAsync(parentImageId is null ? null : images.Inspect(parentImageId).Id, commit, static (_, _) => Task.FromResult(0), cancellationToken);

    /// <summary>
    /// The build's <c>-t</c> names on its final image; every reference is checked before any is set. The intermediate
    /// images stay untagged (the build cache, as moby's classic builder keeps them).
    /// </summary>
    public async Task TagAsync(string imageId, IReadOnlyList<string> references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(references);
        string id = images.Inspect(imageId).Id;
        foreach (string reference in references)
        {
            _ = ImageReference.Parse(reference);
        }

        foreach (string reference in references)
        {
            await images.TagAsync(id, reference, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> CommitAsync(string? parentId, BuildCommitSpec commit, Func<Stream, CancellationToken, Task<int>> writeLayer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var parentConfig = parentId is null ? null : images.Inspect(parentId).Config.Config;
        // moby's builder records the step's parent image in Config.Image (empty over scratch).
        var config = commit.Changes.ApplyTo(parentConfig) with { Image = parentId };
        var entries = 0;
        string id = await images.CommitContainerAsync(
            new ImageCommit(parentId, config, Reference: null) { CreatedBy = commit.CreatedBy, Author = commit.Author, Comment = commit.Comment },
            async (stream, token) => entries = await writeLayer(stream, token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        BuildLog.Committed(_logger, id, entries == 0);
        return id;
    }
}
