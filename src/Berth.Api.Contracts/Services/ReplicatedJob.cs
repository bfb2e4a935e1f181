using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary><c>Mode.ReplicatedJob</c>: runs <see cref="TotalCompletions"/> tasks to completion, <see cref="MaxConcurrent"/> at a time.</summary>
public sealed class ReplicatedJob
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? MaxConcurrent { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? TotalCompletions { get; set; }
}
