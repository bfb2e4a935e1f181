using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary><c>TaskTemplate.Placement</c>: <c>--constraint</c>, <c>--placement-pref</c>, <c>--replicas-max-per-node</c> and the image's platforms.</summary>
public sealed class Placement
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Constraints { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<PlacementPreference>? Preferences { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong MaxReplicas { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<NodePlatform>? Platforms { get; set; }
}
