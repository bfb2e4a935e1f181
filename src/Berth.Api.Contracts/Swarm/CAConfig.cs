using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary><c>Spec.CAConfig</c>: the cluster CA's settings (<c>swarm update --cert-expiry</c>, <c>swarm ca --rotate</c>).</summary>
public sealed class CAConfig
{
    /// <summary>Validity of node certificates in nanoseconds (Go's <c>time.Duration</c>; 90 days by default).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long NodeCertExpiry { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ExternalCA>? ExternalCAs { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SigningCACert { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SigningCAKey { get; set; }

    /// <summary>Raised by <c>swarm ca --rotate</c> to ask for a new root without giving one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ulong ForceRotate { get; set; }
}
