using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Cli.Registry;

/// <summary>
/// The docker CLI's <c>config.json</c> (<c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>), which berth
/// shares: <c>berth login</c> writes what <c>docker login</c> writes (<c>auths.SERVER.auth</c> = base64 of
/// <c>user:password</c>) and each reads the other's. Keys berth does not know are kept as they are. Credential stores
/// and helpers (<c>credsStore</c>, <c>credHelpers</c>) are not run: their registries are logged in with docker only.
/// </summary>
public sealed class DockerConfigFile
{
    /// <summary>Docker Hub's key in <c>auths</c> (the CLI's <c>registry.IndexServer</c>).</summary>
    public const string DockerHubServer = "https://index.docker.io/v1/";

    private readonly JsonObject _root;

    private DockerConfigFile(string path, JsonObject root)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    /// <summary>Where the file is for this environment.</summary>
    public static string PathFor(Func<string, string?> environment)
    {
        string directory = environment("DOCKER_CONFIG") is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Join(environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return System.IO.Path.Join(directory, "config.json");
    }

    /// <summary>The file as it is (empty when missing); a file that is not a JSON object is an error naming it.</summary>
    public static DockerConfigFile Load(Func<string, string?> environment)
    {
        string path = PathFor(environment);
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return new DockerConfigFile(path, []);
        }

        try
        {
            return new DockerConfigFile(path, JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException("it is not a JSON object"));
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"loading config file {path}: {e.Message}; fix or remove it", e);
        }
    }

    /// <summary>The key a registry's credentials are kept under: Docker Hub's URL for <c>docker.io</c>, else <c>host[:port]</c>.</summary>
    public static string ServerKey(string registryDomain) =>
        registryDomain is "docker.io" or "index.docker.io" or "registry-1.docker.io" ? DockerHubServer : registryDomain;

    /// <summary>User and password for <paramref name="registryDomain"/>; null when not logged in there.</summary>
    public (string User, string Password)? Credentials(string registryDomain)
    {
        if (_root["auths"] is not JsonObject auths)
        {
            return null;
        }

        string key = ServerKey(registryDomain);
        // The CLI matches keys written with a scheme or path too (https://host/v1/).
        var entry = auths[key] as JsonObject
            ?? auths.Where(pair => Hostname(pair.Key) == Hostname(key)).Select(pair => pair.Value).OfType<JsonObject>().FirstOrDefault();
        if (entry?["auth"]?.GetValue<string>() is not { Length: > 0 } auth)
        {
            return null;
        }

        string pair;
        try
        {
            pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{Path}: the credentials of {key} are not base64 of user:password; run berth login {key} again", e);
        }

        int colon = pair.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : (pair[..colon], pair[(colon + 1)..]);
    }

    public void Store(string registryDomain, string user, string password)
    {
        var auths = _root["auths"] as JsonObject ?? [];
        _root["auths"] = auths;
        auths[ServerKey(registryDomain)] = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)) };
    }

    /// <summary>Removes the registry's credentials; false when there were none.</summary>
    public bool Remove(string registryDomain)
    {
        if (_root["auths"] is not JsonObject auths)
        {
            return false;
        }

        string key = ServerKey(registryDomain);
        var keys = auths.Select(pair => pair.Key).Where(k => k == key || Hostname(k) == Hostname(key)).ToList();
        foreach (string k in keys)
        {
            auths.Remove(k);
        }

        return keys.Count > 0;
    }

    /// <summary>Written whole through a temporary file, 0600 (it holds passwords), as the docker CLI writes it.</summary>
    public void Save()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        string temporary = Path + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temporary, _root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, Path, overwrite: true);
    }

    /// <summary><c>https://host:5000/v1/</c> → <c>host:5000</c> (the CLI's <c>ConvertToHostname</c>).</summary>
    internal static string Hostname(string key)
    {
        string text = key;
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            text = text[(scheme + 3)..];
        }

        int slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? text : text[..slash];
    }
}
