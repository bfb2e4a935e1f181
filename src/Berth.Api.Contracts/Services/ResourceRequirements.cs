using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary><c>TaskTemplate.Resources</c>: <c>--limit-*</c> and <c>--reserve-*</c> (the CLI sends both parts, <c>{}</c> when unset).</summary>
public sealed class ResourceRequirements
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ResourceLimit? Limits { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NodeResources? Reservations { get; set; }
}
