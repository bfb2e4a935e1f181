using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>A user-defined resource a node advertises (<c>dockerd --node-generic-resource</c>): named or counted.</summary>
public sealed class GenericResource
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NamedGenericResource? NamedResourceSpec { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DiscreteGenericResource? DiscreteResourceSpec { get; set; }
}
