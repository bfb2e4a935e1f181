using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// <c>SwarmSpec</c>: what a user may change (<c>POST /swarm/update?version=N</c> sends the whole of it back).
/// Go always writes the sub-objects (<c>omitempty</c> has no effect on structs) and <c>Labels</c> even when null.
/// </summary>
public sealed class ClusterSpec
{
    /// <summary>"default" for the one swarm a node belongs to.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    public Dictionary<string, string>? Labels { get; set; } = [];

    public OrchestrationConfig Orchestration { get; set; } = new();

    public RaftConfig Raft { get; set; } = new();

    public DispatcherConfig Dispatcher { get; set; } = new();

    public CAConfig CAConfig { get; set; } = new();

    public TaskDefaults TaskDefaults { get; set; } = new();

    public EncryptionConfig EncryptionConfig { get; set; } = new();
}
