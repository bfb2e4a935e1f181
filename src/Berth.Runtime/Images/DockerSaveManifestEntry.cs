namespace Berth.Runtime.Images;

/// <summary>One entry of a <c>docker save</c> archive's <c>manifest.json</c>.</summary>
public sealed record DockerSaveManifestEntry
{
    public string Config { get; init; } = "";

    public IReadOnlyList<string>? RepoTags { get; init; }

    public IReadOnlyList<string> Layers { get; init; } = [];
}
