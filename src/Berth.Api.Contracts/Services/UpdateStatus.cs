using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// A service's last rolling update: <see cref="State"/> <c>updating</c>, <c>paused</c>, <c>completed</c>,
/// <c>rollback_started</c>, <c>rollback_paused</c> or <c>rollback_completed</c> (the CLI's wait loop ends or fails on them).
/// </summary>
public sealed class UpdateStatus
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? State { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StartedAt { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CompletedAt { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; set; }
}
