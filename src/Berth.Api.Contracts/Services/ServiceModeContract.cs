using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// <c>Spec.Mode</c>: exactly one of the four (none at all: replicated, one replica). Any other key is kept in
/// <see cref="Unknown"/> so that a misspelt mode is refused rather than read as the default.
/// </summary>
public sealed class ServiceModeContract
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReplicatedService? Replicated { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ModeWithoutOptions? Global { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReplicatedJob? ReplicatedJob { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ModeWithoutOptions? GlobalJob { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }
}
