using System.Net;
using System.Text.Json;
using Berth.Api.Endpoints.Unserved;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Api.Tests;

/// <summary>Docker's routes Berth does not serve answer as Docker does on a node without swarm or the feature, never a bare 404.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UnservedRouteTests
{
    private const string NotAManager = "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

    [Theory]
    [InlineData("GET", "/v1.45/swarm", 503, NotAManager)]
    [InlineData("GET", "/swarm", 503, NotAManager)]
    [InlineData("POST", "/v1.41/swarm/update?version=3", 503, NotAManager)]
    [InlineData("GET", "/v1.45/swarm/unlockkey", 503, NotAManager)]
    [InlineData("POST", "/v1.45/swarm/unlock", 503, NotAManager)]
    [InlineData("POST", "/v1.45/swarm/leave?force=1", 503, "This node is not part of a swarm")]
    [InlineData("POST", "/v1.45/swarm/leave", 503, "This node is not part of a swarm")]
    [InlineData("GET", "/v1.45/nodes", 503, NotAManager)]
    [InlineData("GET", "/v1.45/nodes/abc", 503, NotAManager)]
    [InlineData("DELETE", "/v1.45/nodes/abc?force=1", 503, NotAManager)]
    [InlineData("POST", "/v1.45/nodes/abc/update?version=1", 503, NotAManager)]
    [InlineData("GET", "/v1.45/services?status=true", 503, NotAManager)]
    [InlineData("POST", "/v1.45/services/create", 503, NotAManager)]
    [InlineData("GET", "/v1.45/services/web?insertDefaults=false", 503, NotAManager)]
    [InlineData("DELETE", "/v1.45/services/web", 503, NotAManager)]
    [InlineData("POST", "/v1.45/services/web/update?version=4", 503, NotAManager)]
    [InlineData("GET", "/v1.45/services/web/logs?stdout=1", 503, NotAManager)]
    [InlineData("GET", "/v1.45/tasks", 503, NotAManager)]
    [InlineData("GET", "/v1.45/tasks/t1", 503, NotAManager)]
    [InlineData("GET", "/v1.45/tasks/t1/logs", 503, NotAManager)]
    [InlineData("GET", "/v1.45/secrets", 503, NotAManager)]
    [InlineData("POST", "/v1.45/secrets/create", 503, NotAManager)]
    [InlineData("GET", "/v1.45/secrets/s1", 503, NotAManager)]
    [InlineData("DELETE", "/v1.45/secrets/s1", 503, NotAManager)]
    [InlineData("POST", "/v1.45/secrets/s1/update?version=1", 503, NotAManager)]
    [InlineData("GET", "/v1.45/configs", 503, NotAManager)]
    [InlineData("POST", "/v1.45/configs/create", 503, NotAManager)]
    [InlineData("GET", "/v1.45/configs/c1", 503, NotAManager)]
    [InlineData("DELETE", "/v1.45/configs/c1", 503, NotAManager)]
    [InlineData("POST", "/v1.45/configs/c1/update?version=1", 503, NotAManager)]
    [InlineData("PUT", "/v1.45/volumes/v1?version=1", 503, "volume update only valid for cluster volumes, but swarm is unavailable")]
    [InlineData("GET", "/v1.45/containers/c1/checkpoints", 501, "This experimental feature is disabled by default. Start the Docker daemon in experimental mode in order to enable it.")]
    [InlineData("DELETE", "/v1.45/containers/c1/checkpoints/cp1", 501, "This experimental feature is disabled by default. Start the Docker daemon in experimental mode in order to enable it.")]
    [InlineData("GET", "/v1.45/plugins/vieux/sshfs:latest/json", 404, "plugin \"vieux/sshfs:latest\" not found")]
    [InlineData("POST", "/v1.45/plugins/p1/enable?timeout=0", 404, "plugin \"p1\" not found")]
    [InlineData("POST", "/v1.45/plugins/p1:latest/set", 404, "plugin \"p1:latest\" not found")]
    [InlineData("DELETE", "/v1.45/plugins/vieux/sshfs", 404, "plugin \"vieux/sshfs\" not found")]
    [InlineData("GET", "/v1.45/plugins/p1", 404, "page not found")]
    [InlineData("POST", "/v1.45/plugins/p1/explode", 404, "page not found")]
    public async Task Routes_answer_as_Docker_outside_a_swarm(string method, string path, int status, string message)
    {
        await using var host = await ContainerApiHost.StartAsync();
        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(JsonSerializer.Serialize(new { message }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("POST", "/v1.45/swarm/init", "docker swarm init")]
    [InlineData("POST", "/v1.45/swarm/join", "docker swarm join")]
    [InlineData("GET", "/v1.45/containers/c1/attach/ws", "GET /containers/{id}/attach/ws")]
    [InlineData("GET", "/v1.45/images/search?term=busybox", "GET /images/search")]
    [InlineData("POST", "/v1.45/build", "POST /build")]
    [InlineData("POST", "/v1.45/build/prune", "POST /build/prune")]
    [InlineData("POST", "/v1.45/build/cancel?id=b1", "POST /build/cancel")]
    [InlineData("POST", "/v1.45/session", "POST /session")]
    [InlineData("POST", "/grpc", "POST /grpc")]
    [InlineData("GET", "/v1.45/system/df", "GET /system/df")]
    [InlineData("GET", "/v1.45/plugins/privileges?remote=vieux/sshfs", "GET /plugins/privileges")]
    [InlineData("POST", "/v1.45/plugins/pull?remote=vieux/sshfs", "POST /plugins/pull")]
    [InlineData("POST", "/v1.45/plugins/create?name=p1", "POST /plugins/create")]
    public async Task Features_Berth_lacks_answer_501_naming_the_route(string method, string path, string named)
    {
        await using var host = await ContainerApiHost.StartAsync();
        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string message = json.RootElement.GetProperty("message").GetString()!;
        Assert.Contains(named, message, StringComparison.Ordinal);
        Assert.Contains("Berth", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_route_of_the_table_answers_its_status_with_Docker_headers_and_a_JSON_message()
    {
        await using var host = await ContainerApiHost.StartAsync();
        Assert.NotEmpty(UnservedRoutes.All);
        foreach (UnservedRoute route in UnservedRoutes.All)
        {
            string path = "/v1.45" + SamplePath(route.Pattern);
            using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(route.Method), path));

            Assert.True(route.Status == (int)response.StatusCode, $"{route}: {path} answered {(int)response.StatusCode}, expected {route.Status}");
            Assert.Equal("1.45", Assert.Single(response.Headers.GetValues("Api-Version")));
            string body = await response.Content.ReadAsStringAsync();
            if (route.Status >= 400 && route.Method != HttpMethods.Head)
            {
                using var json = JsonDocument.Parse(body);
                Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("message").GetString()), $"{route}: empty message");
            }
        }
    }

    [Fact]
    public async Task Plugins_list_is_empty_as_on_a_daemon_with_none_installed()
    {
        await using var host = await TestApiHost.StartAsync();
        using var response = await host.Client.GetAsync("/v1.45/plugins?filters=%7B%22capability%22%3A%7B%22volumedriver%22%3Atrue%7D%7D");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("[]\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Options_on_any_path_is_an_empty_200_as_mobys_preflight_handler()
    {
        await using var host = await TestApiHost.StartAsync();
        foreach (string path in new[] { "/v1.45/nodes", "/v1.45/containers/json", "/anything/at/all" })
        {
            using var response = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    /// <summary>moby's router sends a wrong method on a known path to its not-found handler: 404 page not found, not 405.</summary>
    [Theory]
    [InlineData("DELETE", "/v1.45/swarm")]
    [InlineData("GET", "/v1.45/swarm/init")]
    [InlineData("GET", "/v1.45/swarm/leave")]
    [InlineData("PUT", "/v1.45/nodes")]
    [InlineData("POST", "/v1.45/nodes/abc")]
    [InlineData("HEAD", "/v1.45/services")]
    [InlineData("POST", "/v1.45/plugins")]
    [InlineData("GET", "/v1.45/build")]
    [InlineData("GET", "/v1.45/system/df/extra")]
    [InlineData("GET", "/v1.45/swarms")]
    public async Task Wrong_methods_and_unknown_paths_stay_Dockers_404(string method, string path)
    {
        await using var host = await ContainerApiHost.StartAsync();
        using var response = await host.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        if (method != "HEAD")
        {
            Assert.Equal("{\"message\":\"page not found\"}\n", await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>A route an endpoint class serves is left out of the table's mapping, so serving one needs no change there.</summary>
    [Fact]
    public void Served_routes_are_not_mapped_again()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        using WebApplication app = builder.Build();
        app.MapGet("/swarm", () => "real");
        app.MapPost("/nodes/{nodeId}/update", () => "real");
        UnservedRoutes.Map(app);

        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (Pattern: e.RoutePattern.RawText, Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
            .ToList();
        Assert.Single(endpoints, e => e.Pattern == "/swarm" && e.Methods.Contains("GET"));
        Assert.Single(endpoints, e => e.Pattern!.StartsWith("/nodes/{", StringComparison.Ordinal) && e.Pattern.EndsWith("}/update", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Pattern == "/nodes/{nodeId}/update");
        Assert.Single(endpoints, e => e.Pattern == "/swarm/init");

        // The two real routes stand in for the two table entries they serve.
        Assert.Equal(UnservedRoutes.All.Length, endpoints.Count);
    }

    private static string SamplePath(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{\*\*[^}]+\}", "p1/json").Replace("{id}", "x1", StringComparison.Ordinal)
            .Replace("{name}", "x1", StringComparison.Ordinal).Replace("{checkpoint}", "cp1", StringComparison.Ordinal);
}
