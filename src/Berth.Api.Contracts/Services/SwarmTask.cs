using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// Docker's <c>Task</c> (<c>GET /tasks</c>, <c>GET /tasks/{id}</c>; named so that it does not hide
/// <see cref="System.Threading.Tasks.Task"/>). <c>service ps</c> names a task <c>service.slot</c> (a global one
/// <c>service.node</c>) from <see cref="ServiceID"/>, <see cref="Slot"/> and <see cref="NodeID"/> itself, so
/// <see cref="Name"/> stays empty as in Docker; the wait loop keeps one task per slot (lowest
/// <see cref="DesiredState"/>) and counts those whose <c>Status.State</c> is <c>running</c>.
/// </summary>
public sealed class SwarmTask
{
    public string ID { get; set; } = "";

    public ObjectVersion Version { get; set; } = new();

    public string CreatedAt { get; set; } = GoZeroTime.Value;

    public string UpdatedAt { get; set; } = GoZeroTime.Value;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    public Dictionary<string, string>? Labels { get; set; } = [];

    public TaskSpecContract Spec { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ServiceID { get; set; }

    /// <summary>From 1 for a replicated service; left out (0) for a global one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Slot { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NodeID { get; set; }

    public SwarmTaskStatus Status { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DesiredState { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<NetworkAttachmentContract>? NetworksAttachments { get; set; }
}
