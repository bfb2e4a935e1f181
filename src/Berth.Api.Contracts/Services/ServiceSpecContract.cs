using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// Docker's <c>ServiceSpec</c>: what <c>POST /services/create</c> and <c>/services/{id}/update</c> send (the whole spec
/// each time) and <c>GET /services/{id}</c> shows back. Go writes <c>Labels</c>, <c>TaskTemplate</c> and <c>Mode</c>
/// always (struct fields and an un-omitted map); the rest only when set.
/// </summary>
public sealed class ServiceSpecContract
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public TaskSpecContract? TaskTemplate { get; set; }

    public ServiceModeContract? Mode { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public UpdateConfig? UpdateConfig { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public UpdateConfig? RollbackConfig { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EndpointSpecContract? EndpointSpec { get; set; }
}
