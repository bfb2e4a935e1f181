using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cli.Registry;

namespace Berth.Cli.Tests;

/// <summary>
/// <c>berth login/logout</c> and the credentials they keep in docker's config file: what is sent to berthd (<c>POST
/// /auth</c>, then <c>X-Registry-Auth</c> on pulls of that registry only), docker's messages, and the file's other keys
/// left as they were.
/// </summary>
public sealed class RegistryLoginCommandTests : IDisposable
{
    private readonly FakeDaemon _daemon = new();
    private readonly string _config = Directory.CreateTempSubdirectory("berth-docker-config-").FullName;
    private readonly Dictionary<string, string> _environment;

    public RegistryLoginCommandTests()
    {
        _environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = _config };
        _daemon.Routes = (method, path) => (method, path) switch
        {
            ("POST", "/auth") => (200, """{"Status":"Login Succeeded","IdentityToken":""}"""),
            ("POST", "/images/create") => (200, """{"status":"Pulling from app"}"""),
            _ => null,
        };
    }

    private string ConfigFile => Path.Combine(_config, "config.json");

    public void Dispose()
    {
        _daemon.Dispose();
        Directory.Delete(_config, recursive: true);
    }

    private Task<CliRun> Run(string stdin, params string[] args) => CliRun.RunWithEnvironmentAsync(_daemon.Uri, _environment, stdin, args);

    [Fact]
    public async Task Login_stores_what_berthd_accepted_and_pulls_of_that_registry_send_it()
    {
        File.WriteAllText(ConfigFile, """{"auths":{"other.example":{"auth":"b3RoZXI6cHc="}},"detachKeys":"ctrl-x"}""");
        var login = await Run("", "login", "-u", "me", "-p", "pw:with:colons", "127.0.0.1:5000");
        Assert.Equal(0, login.ExitCode);
        Assert.Equal("Login Succeeded\n", login.Out);
        Assert.Equal("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n\n" +
            $"WARNING! Your credentials are stored unencrypted in '{ConfigFile}'.\nConfigure a credential helper to remove this warning. See\n" +
            "https://docs.docker.com/go/credential-store/\n\n", login.Err);
        var sent = JsonNode.Parse(_daemon.Requests.Single(r => r.StartsWith("POST /v1.45/auth ", StringComparison.Ordinal))["POST /v1.45/auth ".Length..])!;
        Assert.Equal(("me", "pw:with:colons", "127.0.0.1:5000"), ((string)sent["username"]!, (string)sent["password"]!, (string)sent["serveraddress"]!));

        var config = JsonNode.Parse(File.ReadAllText(ConfigFile))!;
        Assert.Equal("me:pw:with:colons", Encoding.UTF8.GetString(Convert.FromBase64String((string)config["auths"]!["127.0.0.1:5000"]!["auth"]!)));
        Assert.Equal("b3RoZXI6cHc=", (string)config["auths"]!["other.example"]!["auth"]!);
        Assert.Equal("ctrl-x", (string)config["detachKeys"]!);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ConfigFile));

        Assert.Equal(0, (await Run("", "pull", "127.0.0.1:5000/app:1")).ExitCode);
        Assert.Equal(0, (await Run("", "pull", "elsewhere.example/app:1")).ExitCode);
        var header = _daemon.RegistryAuths.Single().Split(' ')[2];
        var decoded = JsonNode.Parse(Convert.FromBase64String(header.Replace('-', '+').Replace('_', '/')))!;
        Assert.Equal(("me", "pw:with:colons"), ((string)decoded["username"]!, (string)decoded["password"]!));
        Assert.StartsWith("POST /images/create ", _daemon.RegistryAuths.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_stdin_and_prompts_and_dockers_refusals()
    {
        Assert.Equal(0, (await Run("pw-from-stdin\n", "login", "--username", "me", "--password-stdin", "127.0.0.1:5000")).ExitCode);
        Assert.Equal("me:pw-from-stdin", StoredPair("127.0.0.1:5000"));

        var prompted = await Run("you\nprompted\n", "login", "reg.example:5000");
        Assert.Equal(0, prompted.ExitCode);
        Assert.Equal("Username: Password: Login Succeeded\n", prompted.Out);
        Assert.Equal("you:prompted", StoredPair("reg.example:5000"));

        Assert.Equal("the --password-stdin option requires --username to be set\n", (await Run("x", "login", "--password-stdin", "r:1")).Err);
        Assert.Equal("conflicting options: cannot specify both --password and --password-stdin\n",
            (await Run("x", "login", "-u", "a", "-p", "b", "--password-stdin", "r:1")).Err);

        _daemon.Routes = (method, path) => (method, path) == ("POST", "/auth")
            ? (401, """{"message":"login attempt to http://r:1/v2/ failed with status: 401 Unauthorized"}""") : null;
        var refused = await Run("", "login", "-u", "a", "-p", "b", "r:1");
        Assert.Equal(1, refused.ExitCode);
        Assert.EndsWith("Error response from daemon: login attempt to http://r:1/v2/ failed with status: 401 Unauthorized\n", refused.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("\"r:1\"", File.ReadAllText(ConfigFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_removes_only_that_registry_and_says_what_docker_says()
    {
        await Run("", "login", "-u", "me", "-p", "pw", "127.0.0.1:5000");
        await Run("", "login", "-u", "me", "-p", "pw", "https://index.docker.io/v1/");
        Assert.Equal("Removing login credentials for 127.0.0.1:5000\n", (await Run("", "logout", "127.0.0.1:5000")).Out);
        Assert.Equal("Removing login credentials for 127.0.0.1:5000\n", (await Run("", "logout", "127.0.0.1:5000")).Out);
        Assert.Equal("me:pw", StoredPair(DockerConfigFile.DockerHubServer));
        Assert.Equal("Removing login credentials for https://index.docker.io/v1/\n", (await Run("", "logout")).Out);
    }

    [Fact]
    public async Task A_config_file_that_is_not_json_is_named_with_the_fix()
    {
        File.WriteAllText(ConfigFile, "{ not json");
        var run = await Run("", "pull", "127.0.0.1:5000/app:1");
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"loading config file {ConfigFile}: ", run.Err, StringComparison.Ordinal);
        Assert.Contains("fix or remove it", run.Err, StringComparison.Ordinal);
    }

    private string StoredPair(string key)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(ConfigFile));
        return Encoding.UTF8.GetString(Convert.FromBase64String(config.RootElement.GetProperty("auths").GetProperty(key).GetProperty("auth").GetString()!));
    }
}
