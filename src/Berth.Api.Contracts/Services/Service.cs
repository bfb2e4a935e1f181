using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// <c>GET /services</c>, <c>GET /services/{id}</c>. The CLI's wait loop reads <c>Spec.Mode.Replicated.Replicas</c>
/// (must be set), <c>Spec.UpdateConfig.Monitor</c> and <c>UpdateStatus.State</c>; <c>service ls</c> reads
/// <see cref="ServiceStatus"/> (only listed with <c>status=true</c>) and <c>Endpoint.Ports</c>.
/// </summary>
public sealed class Service
{
    public string ID { get; set; } = "";

    public ObjectVersion Version { get; set; } = new();

    public string CreatedAt { get; set; } = GoZeroTime.Value;

    public string UpdatedAt { get; set; } = GoZeroTime.Value;

    public ServiceSpecContract Spec { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ServiceSpecContract? PreviousSpec { get; set; }

    public ServiceEndpoint Endpoint { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public UpdateStatus? UpdateStatus { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ServiceStatus? ServiceStatus { get; set; }
}
