using System.Net;
using System.Text.Json;

namespace Berth.Api.Tests;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SystemRouteTests
{
    private static void AssertDockerHeaders(HttpResponseMessage response)
    {
        Assert.Equal("1.45", Assert.Single(response.Headers.GetValues("Api-Version")));
        Assert.Equal("linux", Assert.Single(response.Headers.GetValues("Ostype")));
        Assert.Equal("false", Assert.Single(response.Headers.GetValues("Docker-Experimental")));
        Assert.Equal("Docker/27.0.0-berth (linux)", response.Headers.Server.ToString());
    }

    [Fact]
    public async Task Ping_head_has_headers_and_no_body()
    {
        await using var host = await TestApiHost.StartAsync();
        using var response = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/_ping"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertDockerHeaders(response);
        Assert.Equal("no-cache, no-store, must-revalidate", response.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal("no-cache", response.Headers.NonValidated["Pragma"].ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Ping_get_says_OK_with_or_without_version_prefix()
    {
        await using var host = await TestApiHost.StartAsync();
        foreach (string path in new[] { "/_ping", "/v1.41/_ping", "/v1.45/_ping", "/v1.24/_ping" })
        {
            using var response = await host.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertDockerHeaders(response);
            Assert.Equal("OK", await response.Content.ReadAsStringAsync());
            Assert.Equal("no-cache", Assert.Single(response.Headers.GetValues("Pragma")));
        }
    }

    [Theory]
    [InlineData("/v1.50/_ping", "client version 1.50 is too new. Maximum supported API version is 1.45")]
    [InlineData("/v1.46/networks", "client version 1.46 is too new. Maximum supported API version is 1.45")]
    [InlineData("/v2.0/version", "client version 2.0 is too new. Maximum supported API version is 1.45")]
    [InlineData("/v1.12/networks", "client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version")]
    [InlineData("/v1.23/_ping", "client version 1.23 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version")]
    public async Task Versions_out_of_range_are_refused_with_400_and_still_carry_headers(string path, string message)
    {
        await using var host = await TestApiHost.StartAsync();
        using var response = await host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertDockerHeaders(response);
        Assert.Equal("{\"message\":\"" + message + "\"}\n", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/nosuchroute")]
    [InlineData("/v1.45/nosuchroute")]
    [InlineData("/v1.45/containers/c1/json")]
    [InlineData("/file.json")]
    public async Task Unknown_routes_are_Dockers_404(string path)
    {
        await using var host = await TestApiHost.StartAsync();
        using var response = await host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertDockerHeaders(response);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"message\":\"page not found\"}\n", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/version")]
    [InlineData("/v1.41/version")]
    public async Task Version_has_the_fields_clients_read(string path)
    {
        await using var host = await TestApiHost.StartAsync();
        using var response = await host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = json.RootElement;

        Assert.Equal("1.45", root.GetProperty("ApiVersion").GetString());
        Assert.Equal("1.24", root.GetProperty("MinAPIVersion").GetString());
        Assert.Equal("27.0.0-berth", root.GetProperty("Version").GetString());
        Assert.Equal("abc1234", root.GetProperty("GitCommit").GetString());
        Assert.Equal("linux", root.GetProperty("Os").GetString());
        Assert.Equal("6.1.0-test", root.GetProperty("KernelVersion").GetString());
        Assert.Equal("Berth Engine", root.GetProperty("Platform").GetProperty("Name").GetString());
        JsonElement engine = Assert.Single(root.GetProperty("Components").EnumerateArray());
        Assert.Equal("Engine", engine.GetProperty("Name").GetString());
        Assert.Equal("1.45", engine.GetProperty("Details").GetProperty("ApiVersion").GetString());
        Assert.Equal("1.24", engine.GetProperty("Details").GetProperty("MinAPIVersion").GetString());
    }

    [Fact]
    public async Task Info_reports_the_daemon_and_an_inactive_swarm()
    {
        await using var host = await TestApiHost.StartAsync();
        using var response = await host.Client.GetAsync("/v1.45/info");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = json.RootElement;

        Assert.Equal("TEST:DAEMON:ID", root.GetProperty("ID").GetString());
        Assert.Equal("testhost", root.GetProperty("Name").GetString());
        Assert.Equal("27.0.0-berth", root.GetProperty("ServerVersion").GetString());
        Assert.Equal("linux", root.GetProperty("OSType").GetString());
        Assert.Equal("Test Linux 1", root.GetProperty("OperatingSystem").GetString());
        Assert.Equal("/var/lib/berth-test", root.GetProperty("DockerRootDir").GetString());
        Assert.Equal(2, root.GetProperty("NCPU").GetInt32());
        Assert.Equal(4L << 30, root.GetProperty("MemTotal").GetInt64());
        Assert.False(root.GetProperty("ExperimentalBuild").GetBoolean());
        Assert.Equal("inactive", root.GetProperty("Swarm").GetProperty("LocalNodeState").GetString());
        Assert.False(root.GetProperty("Swarm").GetProperty("ControlAvailable").GetBoolean());
        Assert.Contains("bridge", root.GetProperty("Plugins").GetProperty("Network").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Socket_is_mode_0660_after_start()
    {
        await using var host = await TestApiHost.StartAsync();
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite,
            File.GetUnixFileMode(host.SocketPath));
    }
}
