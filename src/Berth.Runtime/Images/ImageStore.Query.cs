using System.Text.Json;

namespace Berth.Runtime.Images;

public sealed partial class ImageStore
{
    private const string MissingHistoryId = "<missing>";

    /// <summary>Every image with its config read (labels, history), newest first, as <c>docker images</c> lists them.</summary>
    public IReadOnlyList<ImageDetails> ListDetails() =>
        [.. State.Images.Values.OrderByDescending(i => i.Created).Select(i => Inspect(i.Id))];

    /// <summary>
    /// <c>docker history</c> (moby's <c>ImageHistory</c>): the config's history steps newest first; a step that made a layer
    /// gets that layer's size, in order bottom to top.
    /// </summary>
    public IReadOnlyList<ImageHistoryStep> History(string nameOrId)
    {
        var details = Inspect(nameOrId);
        var image = State.Images[details.Id];
        var steps = new List<ImageHistoryStep>();
        int layer = 0;
        foreach (var entry in details.Config.History ?? [])
        {
            long size = 0;
            if (!entry.EmptyLayer && layer < image.DiffIds.Length)
            {
                size = State.Layers.TryGetValue(image.DiffIds[layer], out long bytes) ? bytes : 0;
                layer++;
            }

            steps.Add(new ImageHistoryStep(MissingHistoryId, ParseCreated(entry.Created), entry.CreatedBy ?? "", [], size, entry.Comment ?? ""));
        }

        steps.Reverse();
        if (steps.Count > 0)
        {
            steps[0] = steps[0] with { Id = details.Id, Tags = details.RepoTags };
        }

        return steps;
    }

    /// <summary>
    /// Asks the reference's registry what it points at: the manifest (or index) descriptor and the platforms it offers (an
    /// index lists them; a single manifest's come from its config). Unreachable registries are Unavailable, unknown names NotFound.
    /// </summary>
    public async Task<DistributionInfo> InspectDistributionAsync(string reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var target = ImageReference.Parse(reference);
        var (body, mediaType, digest) = await _registry.GetManifestAsync(target, target.Digest ?? target.Tag ?? ImageReference.DefaultTag, credentials, cancellationToken)
            .ConfigureAwait(false);
        var descriptor = new OciDescriptor { MediaType = mediaType, Digest = digest, Size = body.Length };
        if (MediaTypes.IsIndex(mediaType))
        {
            var index = JsonSerializer.Deserialize(body, ImagesJsonContext.Default.OciIndex) ?? new OciIndex();
            return new DistributionInfo(descriptor, [.. index.Manifests.Where(m => m.Platform is not null).Select(m => m.Platform!)]);
        }

        var manifest = JsonSerializer.Deserialize(body, ImagesJsonContext.Default.OciManifest) ?? new OciManifest();
        byte[] configBytes = await DownloadToMemoryAsync(target, manifest.Config, credentials, cancellationToken).ConfigureAwait(false);
        var config = JsonSerializer.Deserialize(configBytes, ImagesJsonContext.Default.ImageConfig);
        return new DistributionInfo(descriptor, [new OciPlatform { Architecture = config?.Architecture ?? "", Os = config?.Os ?? "", Variant = config?.Variant }]);
    }
}
