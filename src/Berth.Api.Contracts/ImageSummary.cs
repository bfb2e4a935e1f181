using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>One element of <c>GET /images/json</c> (moby <c>image.Summary</c>); keys in Docker's order.</summary>
public sealed class ImageSummary
{
    /// <summary>-1: not computed, as Docker answers without <c>?shared-size</c>/container counting.</summary>
    public long Containers { get; set; } = -1;

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }

    public string Id { get; set; } = "";

    public Dictionary<string, string> Labels { get; set; } = [];

    public string ParentId { get; set; } = "";

    public List<string> RepoDigests { get; set; } = [];

    public List<string> RepoTags { get; set; } = [];

    public long SharedSize { get; set; } = -1;

    public long Size { get; set; }

    /// <summary>Only below API 1.44, where it equals <see cref="Size"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? VirtualSize { get; set; }
}
