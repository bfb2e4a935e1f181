using System.Text.Json.Serialization;

namespace Berth.Api.Contracts;

/// <summary>
/// <c>TLSInfo</c>: the cluster's root CA (PEM) and the issuer of node certificates (DER subject and public key,
/// base64 in JSON as Go writes <c>[]byte</c>).
/// </summary>
public sealed class TlsInfo
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TrustRoot { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public byte[]? CertIssuerSubject { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public byte[]? CertIssuerPublicKey { get; set; }
}
