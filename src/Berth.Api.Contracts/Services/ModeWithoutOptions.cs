using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// <c>Mode.Global</c> and <c>Mode.GlobalJob</c>: Go's empty structs, always <c>{}</c>. A key sent in one
/// (<c>{"Global":{"Replicas":3}}</c>) lands in <see cref="Unexpected"/>, so that it can be refused.
/// </summary>
public sealed class ModeWithoutOptions
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unexpected { get; set; }
}
