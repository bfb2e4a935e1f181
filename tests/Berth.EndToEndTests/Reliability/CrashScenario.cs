using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Berth.EndToEndTests.Reliability;

/// <summary>
/// What the crash-anywhere test does to berthd, step by step through the API: networks made and removed, a container
/// published on a port, connected to a second network and disconnected, another one run and removed, a volume, and a
/// compose project brought up and down by berth's CLI; every object of it named so a check after a crash knows what
/// may exist.
/// </summary>
internal static class CrashScenario
{
    public const string Network = "crashnet";
    public const string Side = "side";
    public const string Web = "web";
    public const string Client = "cli";
    public const string Volume = "vol";
    public const string Database = "db";
    public const string Renamed = "db2";
    public const string Inner = "inner";
    public const string Isolated = "iso";
    public const int PublishedPort = 8080;

    private static readonly JsonArray WebCommand = ["sh", "-c", "mkdir -p /www && echo served > /www/index.html && exec httpd -f -p 80 -h /www"];

    /// <summary>The compose project: its network is <c>crashapp_default</c>, its volume <c>crashapp_data</c>.</summary>
    public const string Project = "crashapp";

    private const string ComposeFile = """
        services:
          front:
            image: bb:latest
            command: ["sh", "-c", "mkdir -p /www && echo composed > /www/index.html && exec httpd -f -p 80 -h /www"]
            ports: ["8082:80"]
            volumes: ["data:/data"]
            stop_grace_period: 1s
          back:
            image: bb:latest
            command: ["sleep", "600"]
            stop_grace_period: 1s
        volumes:
          data: {}
        """;

    /// <summary>Writes the compose project's file under <paramref name="directory"/>; returns its path.</summary>
    public static string WriteComposeFile(string directory)
    {
        string path = Path.Combine(directory, "crash-compose.yml");
        File.WriteAllText(path, ComposeFile);
        return path;
    }

    /// <summary>
    /// The steps against <paramref name="daemon"/>, each one request or CLI command (a failed one is an answer too: the
    /// test only needs berthd to have been asked); a command answers 200 when it exits 0, else 500 with its output.
    /// </summary>
    public static IReadOnlyList<Func<HttpClient, Task<HttpResponseMessage>>> Steps(Fixtures.Berthd daemon, string composeFile) =>
    [
        api => api.PostAsJsonAsync("/networks/create", new JsonObject
        {
            ["Name"] = Network,
            ["IPAM"] = new JsonObject { ["Config"] = new JsonArray(new JsonObject { ["Subnet"] = "10.180.0.0/24" }) },
        }),
        api => api.PostAsJsonAsync($"/containers/create?name={Web}", new JsonObject
        {
            ["Image"] = "bb:latest",
            ["Cmd"] = WebCommand.DeepClone(),
            ["ExposedPorts"] = new JsonObject { ["80/tcp"] = new JsonObject() },
            ["HostConfig"] = new JsonObject
            {
                ["NetworkMode"] = Network,
                ["PortBindings"] = new JsonObject { ["80/tcp"] = new JsonArray(new JsonObject { ["HostPort"] = PublishedPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }) },
            },
        }),
        api => api.PostAsync($"/containers/{Web}/start", null),
        api => api.PostAsJsonAsync($"/containers/create?name={Database}", new JsonObject
        {
            ["Image"] = "bb:latest",
            ["Cmd"] = new JsonArray("sleep", "600"),
            ["HostConfig"] = new JsonObject { ["NetworkMode"] = Network },
            ["NetworkingConfig"] = new JsonObject
            {
                ["EndpointsConfig"] = new JsonObject { [Network] = new JsonObject { ["IPAMConfig"] = new JsonObject { ["IPv4Address"] = "10.180.0.50" } } },
            },
        }),
        api => api.PostAsync($"/containers/{Database}/start", null),
        api => api.PostAsync($"/containers/{Database}/stop?t=0", null),
        api => api.PostAsync($"/containers/{Database}/start", null),
        api => api.PostAsync($"/containers/{Database}/rename?name={Renamed}", null),
        api => api.DeleteAsync($"/containers/{Renamed}?force=1"),
        api => api.PostAsJsonAsync("/networks/create", new JsonObject { ["Name"] = Inner, ["Internal"] = true }),
        api => api.PostAsJsonAsync($"/containers/create?name={Isolated}", new JsonObject
        {
            ["Image"] = "bb:latest",
            ["Cmd"] = new JsonArray("sleep", "600"),
            ["HostConfig"] = new JsonObject { ["NetworkMode"] = Inner },
        }),
        api => api.PostAsync($"/containers/{Isolated}/start", null),
        api => api.DeleteAsync($"/containers/{Isolated}?force=1"),
        api => api.DeleteAsync($"/networks/{Inner}"),
        api => api.PostAsJsonAsync("/networks/create", new JsonObject { ["Name"] = Side }),
        api => api.PostAsJsonAsync($"/networks/{Side}/connect", new JsonObject { ["Container"] = Web }),
        api => api.PostAsJsonAsync($"/containers/create?name={Client}", new JsonObject
        {
            ["Image"] = "bb:latest",
            ["Cmd"] = new JsonArray("sleep", "600"),
            ["HostConfig"] = new JsonObject { ["NetworkMode"] = Side },
        }),
        api => api.PostAsync($"/containers/{Client}/start", null),
        api => api.PostAsJsonAsync($"/networks/{Side}/disconnect", new JsonObject { ["Container"] = Web }),
        api => api.DeleteAsync($"/containers/{Client}?force=1"),
        api => api.DeleteAsync($"/networks/{Side}"),
        api => api.PostAsJsonAsync("/volumes/create", new JsonObject { ["Name"] = Volume }),
        api => api.DeleteAsync($"/volumes/{Volume}"),
        _ => Command(daemon.BerthCli("compose", "-f", composeFile, "-p", Project, "up", "-d")),
        _ => Command(daemon.BerthCli("compose", "-f", composeFile, "-p", Project, "down", "-v")),
        api => api.PostAsync($"/containers/{Web}/stop?t=1", null),
        api => api.PostAsync($"/containers/{Web}/start", null),
        api => api.DeleteAsync($"/containers/{Web}?force=1"),
        api => api.DeleteAsync($"/networks/{Network}"),
    ];

    private static Task<HttpResponseMessage> Command(Linux.IntegrationTests.Fixtures.CmdResult result) =>
        Task.FromResult(new HttpResponseMessage(result.Succeeded ? System.Net.HttpStatusCode.OK : System.Net.HttpStatusCode.InternalServerError)
        {
            Content = new StringContent(result.ToString()),
        });
}
