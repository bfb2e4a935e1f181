using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary><c>Spec.Orchestration</c>.</summary>
public sealed class OrchestrationConfig
{
    /// <summary>Finished tasks kept per slot (<c>swarm update --task-history-limit</c>, 5 by default); negative keeps all.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? TaskHistoryRetentionLimit { get; set; }
}
