using System.Text.Json.Serialization;

namespace Berth.Runtime.Images;

/// <summary>The answer of a registry token server (distribution docs/spec/auth/token.md): <c>token</c> or <c>access_token</c>.</summary>
public sealed record TokenResponse
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }
}
