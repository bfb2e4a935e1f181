using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Core.Errors;

namespace Berth.Runtime.Images;

/// <summary>
/// Docker's <c>AuthConfig</c>: what a client sends to log in (<c>POST /auth</c>'s body) and, base64url-encoded, in the
/// <c>X-Registry-Auth</c> header of a pull, a <c>/distribution</c> query or a service create/update. The docker CLI fills
/// <c>username</c>/<c>password</c> from its config file; <c>auth</c> (<c>base64(user:password)</c>, the file's own form) is
/// read when they are empty. Identity and registry tokens are not used.
/// </summary>
public sealed record RegistryAuthConfig
{
    [JsonPropertyName("username")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Username { get; init; }

    [JsonPropertyName("password")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Password { get; init; }

    [JsonPropertyName("auth")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Auth { get; init; }

    [JsonPropertyName("email")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Email { get; init; }

    [JsonPropertyName("serveraddress")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ServerAddress { get; init; }

    [JsonPropertyName("identitytoken")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IdentityToken { get; init; }

    [JsonPropertyName("registrytoken")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RegistryToken { get; init; }

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"RegistryAuthConfig {{ Username = {Username}, ServerAddress = {ServerAddress} }}";

    /// <summary>The user name and password this config carries; null when it carries none (an anonymous pull).</summary>
    public RegistryCredentials? Credentials()
    {
        if (!string.IsNullOrEmpty(Username) || !string.IsNullOrEmpty(Password))
        {
            return new RegistryCredentials(Username ?? "", Password ?? "");
        }

        if (string.IsNullOrEmpty(Auth))
        {
            return null;
        }

        string pair;
        try
        {
            pair = Encoding.UTF8.GetString(Convert.FromBase64String(Auth));
        }
        catch (FormatException e)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "the registry credentials' \"auth\" is not base64 of user:password", e);
        }

        int colon = pair.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? throw new BerthException(ErrorKind.InvalidArgument, "the registry credentials' \"auth\" holds no ':' between user and password")
            : new RegistryCredentials(pair[..colon], pair[(colon + 1)..]);
    }

    /// <summary>
    /// The <c>X-Registry-Auth</c> header's config (moby's <c>registry.DecodeAuthConfig</c>: base64url of the JSON; the
    /// standard alphabet and missing padding are taken too); null when the header is absent or empty. A header that is
    /// not base64 or not JSON is InvalidArgument naming the header.
    /// </summary>
    public static RegistryAuthConfig? FromHeader(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        byte[] json;
        try
        {
            string text = header.Trim().Replace('-', '+').Replace('_', '/');
            json = Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
        }
        catch (FormatException e)
        {
            throw new BerthException(ErrorKind.InvalidArgument, "the X-Registry-Auth header is not base64url-encoded JSON (Docker's AuthConfig)", e);
        }

        return FromJson(json, "the X-Registry-Auth header");
    }

    /// <summary>A config as JSON bytes (<c>POST /auth</c>'s body); <paramref name="what"/> names the source in errors.</summary>
    public static RegistryAuthConfig FromJson(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json, ImagesJsonContext.Default.RegistryAuthConfig)
                ?? throw new BerthException(ErrorKind.InvalidArgument, $"{what} is JSON null, not Docker's AuthConfig object");
        }
        catch (JsonException e)
        {
            throw new BerthException(ErrorKind.InvalidArgument, $"{what} is not Docker's AuthConfig JSON: {e.Message}", e);
        }
    }

    /// <summary>The header form of this config (base64url of its JSON, padded, as the docker CLI sends it).</summary>
    public string ToHeader() =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this, ImagesJsonContext.Default.RegistryAuthConfig)).Replace('+', '-').Replace('/', '_');
}
