namespace Berth.Runtime.Images;

/// <summary>
/// What <c>docker image inspect</c> needs: the stored record, the parsed config, and the layer
/// directories bottom first (overlayfs wants them top first: reverse before joining into lowerdir).
/// </summary>
public sealed record ImageDetails(
    string Id,
    IReadOnlyList<string> RepoTags,
    DateTimeOffset Created,
    long Size,
    ImageConfig Config,
    IReadOnlyList<string> LayerDirectories)
{
    /// <summary>Familiar <c>repository@sha256:…</c> names of the manifests the image was pulled by.</summary>
    public IReadOnlyList<string> RepoDigests { get; init; } = [];
}
