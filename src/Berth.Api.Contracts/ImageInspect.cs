using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>Reply of <c>GET /images/{name}/json</c> (moby <c>image.InspectResponse</c>).</summary>
public sealed class ImageInspect
{
    public string Id { get; set; } = "";

    public List<string> RepoTags { get; set; } = [];

    public List<string> RepoDigests { get; set; } = [];

    public string Parent { get; set; } = "";

    public string Comment { get; set; } = "";

    /// <summary>RFC 3339 with nanoseconds.</summary>
    public string Created { get; set; } = "";

    /// <summary>Below API 1.45 only (deprecated), the empty string.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Container { get; set; }

    /// <summary>Below API 1.45 only (deprecated): an empty config.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ImageContainerConfig? ContainerConfig { get; set; }

    public string DockerVersion { get; set; } = "";

    public string Author { get; set; } = "";

    public ImageContainerConfig Config { get; set; } = new();

    public string Architecture { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Variant { get; set; }

    public string Os { get; set; } = "";

    public long Size { get; set; }

    /// <summary>Below API 1.44 only, equal to <see cref="Size"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? VirtualSize { get; set; }

    public ImageGraphDriver GraphDriver { get; set; } = new();

    public ImageRootFs RootFS { get; set; } = new();

    public ImageMetadata Metadata { get; set; } = new();
}
