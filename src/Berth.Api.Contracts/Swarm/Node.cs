using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// <c>GET /nodes</c>, <c>GET /nodes/{id}</c>. <c>node ls</c> reads <c>Description.Hostname</c>, <c>Status.State</c>,
/// <c>Spec.Availability</c>, <c>ManagerStatus</c> (Leader, else Reachability) and <c>Description.Engine.EngineVersion</c>;
/// <c>swarm init</c> prints the join line from <c>ManagerStatus.Addr</c>. Workers have no <see cref="ManagerStatus"/>.
/// </summary>
public sealed class Node
{
    public string ID { get; set; } = "";

    public ObjectVersion Version { get; set; } = new();

    public string CreatedAt { get; set; } = GoZeroTime.Value;

    public string UpdatedAt { get; set; } = GoZeroTime.Value;

    public NodeSpec Spec { get; set; } = new();

    public NodeDescription Description { get; set; } = new();

    public NodeStatus Status { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ManagerStatus? ManagerStatus { get; set; }
}
