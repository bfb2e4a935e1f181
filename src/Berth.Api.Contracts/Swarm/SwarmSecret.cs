using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// <c>GET /secrets</c>, <c>GET /configs</c> (moby <c>api/types/swarm</c> <c>Secret</c> and <c>Config</c>: the same
/// shape). A secret's <c>Spec.Data</c> is never shown; a config's is.
/// </summary>
public sealed class SwarmSecret
{
    public string ID { get; set; } = "";

    public ObjectVersion Version { get; set; } = new();

    public string CreatedAt { get; set; } = GoZeroTime.Value;

    public string UpdatedAt { get; set; } = GoZeroTime.Value;

    public SecretSpecContract Spec { get; set; } = new();
}

/// <summary><c>SecretSpec</c>/<c>ConfigSpec</c>: Go shows <c>Labels</c> always (moby makes a nil map empty), the rest when set. <c>Data</c> is base64.</summary>
public sealed class SecretSpecContract
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public byte[]? Data { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SwarmDriver? Driver { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SwarmDriver? Templating { get; set; }
}

/// <summary><c>POST /secrets/create</c>, <c>/configs/create</c> → 201 (moby's <c>SecretCreateResponse</c>).</summary>
public sealed class SecretCreateResponse
{
    public string ID { get; set; } = "";
}
