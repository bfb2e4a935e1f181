using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>One named unit of a generic resource (<c>GPU=UUID1</c>).</summary>
public sealed class NamedGenericResource
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Value { get; set; }
}
