using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>The swagger's <c>Driver</c>: a driver's name and options (a log driver in <see cref="TaskDefaults"/>).</summary>
public sealed class SwarmDriver
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Options { get; set; }
}
