using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// One line of <c>GET /events</c> (moby <c>api/types/events.Message</c>). <c>status</c>, <c>id</c> and
/// <c>from</c> are the pre-1.22 fields, still filled for container and image events (docker-compose's
/// event loop reads <c>status</c> and <c>id</c>).
/// </summary>
public sealed class EventMessage
{
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; set; }

    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; set; }

    [JsonPropertyName("from")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? From { get; set; }

    public string Type { get; set; } = "";

    public string Action { get; set; } = "";

    public EventActor Actor { get; set; } = new();

    [JsonPropertyName("scope")]
    public string Scope { get; set; } = "local";

    [JsonPropertyName("time")]
    public long Time { get; set; }

    [JsonPropertyName("timeNano")]
    public long TimeNano { get; set; }
}
