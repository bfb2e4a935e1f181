using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>One of <c>TaskTemplate.Networks</c>: <c>--network</c> (the CLI sends the network's id; <c>stack deploy</c> its name).</summary>
public sealed class NetworkAttachmentConfig
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Target { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Aliases { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? DriverOpts { get; set; }
}
