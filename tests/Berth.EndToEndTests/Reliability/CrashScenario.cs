using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Berth.EndToEndTests.Reliability;

/// <summary>
/// What the crash-anywhere test does to berthd, step by step through the API: networks made and removed, a container
/// published on a port, connected to a second network and disconnected, another one run and removed, a volume; every
/// object of it named so a check after a crash knows what may exist.
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

    /// <summary>The steps, each one request (a failed one is an answer too: the test only needs berthd to have been asked).</summary>
    public static IReadOnlyList<Func<HttpClient, Task<HttpResponseMessage>>> Steps { get; } =
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
        api => api.PostAsync($"/containers/{Web}/stop?t=1", null),
        api => api.PostAsync($"/containers/{Web}/start", null),
        api => api.DeleteAsync($"/containers/{Web}?force=1"),
        api => api.DeleteAsync($"/networks/{Network}"),
    ];
}
