using System.Text.Json;
using Berth.Cli.Commands.Containers;

namespace Berth.Cli.Registry;

/// <summary>
/// The <c>X-Registry-Auth</c> header the docker CLI sends (its <c>EncodeAuthToBase64</c>): Docker's <c>AuthConfig</c>
/// for the image's registry from the config file, as base64url JSON. Null when the file holds nothing for that registry
/// (an anonymous pull sends no header).
/// </summary>
public static class RegistryAuthHeader
{
    public const string Name = "X-Registry-Auth";

    /// <summary>The header for <paramref name="image"/>'s registry, from <paramref name="environment"/>'s config file.</summary>
    public static string? ForImage(string image, Func<string, string?> environment) =>
        ForRegistry(ImageReference.Parse(image).Domain, environment);

    public static string? ForRegistry(string registryDomain, Func<string, string?> environment)
    {
        var credentials = DockerConfigFile.Load(environment).Credentials(registryDomain);
        return credentials is { } found ? Encode(found.User, found.Password, DockerConfigFile.ServerKey(registryDomain)) : null;
    }

    /// <summary>The headers to send for the image (empty or one).</summary>
    public static IReadOnlyDictionary<string, string> HeadersForImage(string image, Func<string, string?> environment) =>
        ForImage(image, environment) is { } value ? new Dictionary<string, string> { [Name] = value } : new Dictionary<string, string>();

    public static string Encode(string user, string password, string serverAddress) =>
        Convert.ToBase64String(AuthConfigJson(user, password, serverAddress)).Replace('+', '-').Replace('/', '_');

    /// <summary>Docker's AuthConfig as JSON: POST /auth's body, and the header's content.</summary>
    public static byte[] AuthConfigJson(string user, string password, string serverAddress)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("username", user);
            writer.WriteString("password", password);
            writer.WriteString("serveraddress", serverAddress);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
