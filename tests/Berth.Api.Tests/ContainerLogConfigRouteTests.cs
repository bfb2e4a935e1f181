using System.Net;
using System.Text.Json;

namespace Berth.Api.Tests;

/// <summary>HostConfig.LogConfig over the API: what inspect shows, Docker's 400s, and the 501 of <c>logs</c> under the none driver.</summary>
public sealed class ContainerLogConfigRouteTests
{
    [Fact]
    public async Task Inspect_shows_the_driver_and_options_a_container_got()
    {
        await using var api = await ContainerApiHost.StartAsync();
        await api.CreateAsync("plain", """{"Image":"busy:latest","HostConfig":{"LogConfig":{"Type":"","Config":{}}}}""");
        await api.CreateAsync("rotated", """{"Image":"busy:latest","HostConfig":{"LogConfig":{"Type":"json-file","Config":{"max-size":"10m","max-file":"3"}}}}""");
        Assert.Equal("""{"Type":"json-file","Config":{}}""", await LogConfigAsync(api, "plain"));
        Assert.Equal("""{"Type":"json-file","Config":{"max-file":"3","max-size":"10m"}}""", await LogConfigAsync(api, "rotated"));
    }

    [Theory]
    [InlineData("""{"Type":"json-file","Config":{"x":"1"}}""", "unknown log opt 'x' for json-file log driver")]
    [InlineData("""{"Type":"json-file","Config":{"max-size":"abc"}}""", "invalid size: 'abc'")]
    [InlineData("""{"Type":"local","Config":{"max-file":"1"}}""", "compression cannot be enabled when max file count is 1")]
    [InlineData("""{"Type":"gelf","Config":{}}""", "log driver \"gelf\" is not supported by Berth")]
    public async Task Bad_log_configs_are_400_with_Dockers_message(string logConfig, string message)
    {
        await using var api = await ContainerApiHost.StartAsync();
        using var response = await api.PostJsonAsync("/v1.45/containers/create", $$$"""{"Image":"busy:latest","HostConfig":{"LogConfig":{{{logConfig}}}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith(message, json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_under_the_none_driver_are_501_with_Dockers_message()
    {
        await using var api = await ContainerApiHost.StartAsync();
        await api.CreateAsync("quiet", """{"Image":"busy:latest","HostConfig":{"LogConfig":{"Type":"none"}}}""");
        using var response = await api.Client.GetAsync(new Uri("/v1.45/containers/quiet/logs?stdout=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Contains("configured logging driver does not support reading", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> LogConfigAsync(ContainerApiHost api, string name)
    {
        using var response = await api.Client.GetAsync(new Uri($"/v1.45/containers/{name}/json", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("HostConfig").GetProperty("LogConfig").GetRawText();
    }
}
