using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary><c>Spec.TaskDefaults</c>: what a task gets when its service says nothing.</summary>
public sealed class TaskDefaults
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SwarmDriver? LogDriver { get; set; }
}
