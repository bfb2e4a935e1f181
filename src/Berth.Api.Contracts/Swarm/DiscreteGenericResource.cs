using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A counted generic resource (<c>SSD=3</c>).</summary>
public sealed class DiscreteGenericResource
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Value { get; set; }
}
