using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Runtime.Images;

public sealed partial class ImageStore
{
    /// <summary>Short layer ids in progress events are the first 12 hex digits, as Docker prints them.</summary>
    private const int ShortIdLength = 12;

    /// <summary>
    /// <c>docker pull</c> from an OCI distribution registry: an index or manifest list resolves to
    /// linux/amd64 (this machine's architecture), every blob's digest is checked, layers already stored
    /// are not downloaded again. Returns the image id.
    /// </summary>
    public async Task<string> PullAsync(
        string reference, IProgress<PullProgress>? progress = null, RegistryCredentials? credentials = null,
        CancellationToken cancellationToken = default)
    {
        var target = ImageReference.Parse(reference);
        string tagOrDigest = target.Digest ?? target.Tag ?? ImageReference.DefaultTag;

        var (body, mediaType, digest) = await _registry.GetManifestAsync(target, tagOrDigest, credentials, cancellationToken).ConfigureAwait(false);

        // What the tag points at (an index for multi-platform images) is the digest Docker reports and records.
        string pulledDigest = digest;
        if (MediaTypes.IsIndex(mediaType))
        {
            var index = JsonSerializer.Deserialize(body, ImagesJsonContext.Default.OciIndex) ?? new OciIndex();
            var chosen = ManifestSelector.Select(index, target.FamiliarString);
            (body, mediaType, _) = await _registry.GetManifestAsync(target, chosen.Digest, credentials, cancellationToken).ConfigureAwait(false);
        }

        if (!MediaTypes.IsManifest(mediaType))
        {
            throw new BerthException(ErrorKind.NotSupported,
                $"{target.FamiliarString}: manifest type \"{mediaType}\" is not supported; Berth pulls OCI and Docker schema 2 images");
        }

        // After the manifest is known, as moby reports it: a missing image is a plain error, not a started pull.
        progress?.Report(new PullProgress(target.Tag ?? target.Digest, $"Pulling from {target.Path}"));
        var manifest = JsonSerializer.Deserialize(body, ImagesJsonContext.Default.OciManifest) ?? new OciManifest();
        byte[] configBytes = await DownloadToMemoryAsync(target, manifest.Config, credentials, cancellationToken).ConfigureAwait(false);
        var config = JsonSerializer.Deserialize(configBytes, ImagesJsonContext.Default.ImageConfig)
            ?? throw new BerthException(ErrorKind.InvalidArgument, $"{target.FamiliarString}: the image config is empty");
        var diffIds = config.RootFs?.DiffIds ?? [];
        if (diffIds.Count != manifest.Layers.Count)
        {
            throw new BerthException(ErrorKind.InvalidArgument,
                $"{target.FamiliarString}: the manifest has {manifest.Layers.Count} layers but the config lists {diffIds.Count}; the image is corrupt");
        }

        var leases = new List<string>();
        try
        {
            var layers = new (string DiffId, long Size)[manifest.Layers.Count];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, manifest.Layers.Count),
                new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentLayerDownloads, CancellationToken = cancellationToken },
                async (i, ct) => layers[i] = await PullLayerAsync(target, manifest.Layers[i], diffIds[i], credentials, progress, leases, ct).ConfigureAwait(false))
                .ConfigureAwait(false);

            // Only for the wording of the last line; the commit itself is idempotent.
            string repoDigest = target.Repository + "@" + pulledDigest;
            bool upToDate = State.Images.TryGetValue(Digests.Of(configBytes), out var before)
                && (target.Digest is null ? before.References.Contains(target.FullName) : before.RepoDigests.Contains(repoDigest));
            // A pull by digest (a service's pinned repo:tag@sha256:…) records the digest only, as moby does: no tag is moved.
            string id = await CommitAsync(configBytes, layers, target.Digest is null ? [target] : [], cancellationToken, repoDigest).ConfigureAwait(false);
            progress?.Report(new PullProgress(null, $"Digest: {pulledDigest}"));
            progress?.Report(new PullProgress(null, upToDate
                ? $"Status: Image is up to date for {target.FamiliarString}"
                : $"Status: Downloaded newer image for {target.FamiliarString}"));
            return id;
        }
        finally
        {
            lock (leases)
            {
                Release(leases);
            }
        }
    }

    private async Task<(string, long)> PullLayerAsync(
        ImageReference target, OciDescriptor layer, string diffId, RegistryCredentials? credentials,
        IProgress<PullProgress>? progress, List<string> leases, CancellationToken cancellationToken)
    {
        string shortId = Digests.Hex(layer.Digest)[..ShortIdLength];
        var mine = new List<string>();
        long? existing = await TryReuseLayerAsync(diffId, mine, cancellationToken).ConfigureAwait(false);
        lock (leases)
        {
            leases.AddRange(mine);
        }

        if (existing is { } size)
        {
            progress?.Report(new PullProgress(shortId, "Already exists"));
            return (diffId, size);
        }

        progress?.Report(new PullProgress(shortId, "Pulling fs layer"));
        string blob = NewTempFile();
        try
        {
            var file = new FileStream(blob, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var bytes = progress is null ? null : new Progress<long>(n => progress.Report(new PullProgress(shortId, "Downloading", n, layer.Size)));
                await _registry.DownloadBlobAsync(target, layer, file, credentials, bytes, cancellationToken).ConfigureAwait(false);
            }

            progress?.Report(new PullProgress(shortId, "Download complete"));
            progress?.Report(new PullProgress(shortId, "Extracting"));
            mine.Clear();
            var result = await StoreLayerAsync(blob, mine, cancellationToken).ConfigureAwait(false);
            lock (leases)
            {
                leases.AddRange(mine);
            }

            if (result.DiffId != diffId)
            {
                throw new BerthException(ErrorKind.InvalidArgument,
                    $"{target.FamiliarString}: layer {layer.Digest} unpacks to {result.DiffId} but the config says {diffId}; the image is corrupt");
            }

            progress?.Report(new PullProgress(shortId, "Pull complete"));
            return (result.DiffId, result.Size);
        }
        finally
        {
            TryDelete(blob);
        }
    }

    private async Task<byte[]> DownloadToMemoryAsync(
        ImageReference target, OciDescriptor descriptor, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await _registry.DownloadBlobAsync(target, descriptor, buffer, credentials, null, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
