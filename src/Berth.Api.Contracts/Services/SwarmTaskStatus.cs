using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A task's <c>Status</c>: its state (<c>running</c>, <c>failed</c>, …) since <see cref="Timestamp"/>, why, and its container.</summary>
public sealed class SwarmTaskStatus
{
    public string Timestamp { get; set; } = GoZeroTime.Value;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? State { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Err { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TaskContainerStatus? ContainerStatus { get; set; }

    public PortStatus PortStatus { get; set; } = new();
}
