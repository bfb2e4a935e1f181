using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>What a node reports about itself. (Docker's <c>CSIInfo</c> is left out: Berth has no CSI plugins.)</summary>
public sealed class NodeDescription
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Hostname { get; set; }

    public NodePlatform Platform { get; set; } = new();

    public NodeResources Resources { get; set; } = new();

    public EngineDescription Engine { get; set; } = new();

    public TlsInfo TLSInfo { get; set; } = new();
}
