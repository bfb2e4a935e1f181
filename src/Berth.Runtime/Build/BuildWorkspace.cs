using Berth.Core.Errors;
using Berth.Runtime.Containers;
using Berth.Runtime.Images;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Runtime.Build;

/// <summary>
/// The runtime primitives a Dockerfile build runs step by step (docker's classic builder): a <see cref="BuildSnapshot"/>
/// over an image, a <c>RUN</c> in a throwaway container on it (<see cref="RunStepAsync"/>), a <c>COPY</c>/<c>ADD</c> into
/// it (<see cref="CopyIntoSnapshotAsync"/>, with the content checksum the build cache is keyed by), and the commit of
/// its upper directory — or of no layer, for a metadata step — as a new untagged image (<see cref="CommitStepAsync"/>,
/// <see cref="CommitMetadataAsync"/>), tagged at the end (<see cref="TagAsync"/>). Snapshots live in
/// <paramref name="directory"/> (berthd: <c>&lt;root&gt;/builds</c>); the leftovers of a crashed build are swept when
/// the next snapshot is made.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class BuildWorkspace(string directory, ImageStore images, IContainerRuntime runtime, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>
    /// A snapshot over <paramref name="imageId"/>'s layers (any reference or id the store resolves), or over nothing for
    /// <c>FROM scratch</c> (null). Dispose it when the step is committed or has failed.
    /// </summary>
    public async Task<BuildSnapshot> CreateSnapshotAsync(string? imageId, CancellationToken cancellationToken = default)
    {
        var image = imageId is null ? null : images.Inspect(imageId);
        await SweepAsync(cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(directory);
        var snapshot = BuildSnapshot.Create(directory, image?.Id, image?.LayerDirectories ?? []);
        BuildLog.SnapshotCreated(_logger, snapshot.Id, image?.Id ?? "scratch");
        return snapshot;
    }

    /// <summary>
    /// Removes what crashed builds left here: every snapshot directory nobody holds (its lock is free), its run container
    /// killed and deleted first and its rootfs unmounted. Best effort: what cannot be removed is logged and tried again
    /// next time.
    /// </summary>
    public async Task SweepAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (string leftover in Directory.GetDirectories(directory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string id = Path.GetFileName(leftover);
            using var held = BuildSnapshot.TryLock(leftover);
            if (held is null)
            {
                continue;
            }

            try
            {
                string container = BuildSnapshot.ContainerIdOf(id);
                if (runtime.Exists(container))
                {
                    await runtime.DeleteAsync(container, force: true, cancellationToken).ConfigureAwait(false);
                }

                BuildSnapshot.Remove(leftover);
                BuildLog.Swept(_logger, id);
            }
            catch (Exception e) when (e is BerthException or IOException or UnauthorizedAccessException)
            {
                BuildLog.SweepFailed(_logger, id, e);
            }
        }
    }
}
