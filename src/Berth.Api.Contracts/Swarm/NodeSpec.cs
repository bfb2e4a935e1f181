using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// What a user sets on a node (<c>POST /nodes/{id}/update?version=N</c> sends the whole of it): its name, labels
/// (<c>--label-add</c>), <see cref="NodeRole"/> (promote, demote) and <see cref="NodeAvailability"/>.
/// </summary>
public sealed class NodeSpec
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    public Dictionary<string, string>? Labels { get; set; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Role { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Availability { get; set; }
}
