using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// moby <c>container.PathStat</c>, base64 JSON in the <c>X-Docker-Container-Path-Stat</c> header of the archive routes.
/// Its keys are lower case (Go's json tags); <c>mode</c> is a Go <c>os.FileMode</c>, <c>mtime</c> RFC 3339.
/// </summary>
public sealed class ContainerPathStat
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("size")]
    public long Size { get; set; }

    [JsonPropertyName("mode")]
    public uint Mode { get; set; }

    [JsonPropertyName("mtime")]
    public string Mtime { get; set; } = "";

    [JsonPropertyName("linkTarget")]
    public string LinkTarget { get; set; } = "";
}
