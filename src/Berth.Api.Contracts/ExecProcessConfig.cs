using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

#pragma warning disable CA2227

/// <summary>ExecInspect.ProcessConfig (moby's field names are lower-case here).</summary>
public sealed class ExecProcessConfig
{
    [JsonPropertyName("tty")]
    public bool Tty { get; set; }

    [JsonPropertyName("entrypoint")]
    public string Entrypoint { get; set; } = "";

    [JsonPropertyName("arguments")]
    public List<string> Arguments { get; set; } = [];

    [JsonPropertyName("privileged")]
    public bool Privileged { get; set; }

    [JsonPropertyName("user")]
    public string User { get; set; } = "";
}
