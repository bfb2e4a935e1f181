using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cluster.Secrets;
using Berth.Store;
using Microsoft.Extensions.Logging.Abstractions;
using static Berth.Api.Tests.ApiAssert;

namespace Berth.Api.Tests;

/// <summary>
/// <c>/secrets</c> and <c>/configs</c> over a real <see cref="SecretManager"/> on an in-memory store: moby's shapes (a
/// secret's data never shown, a config's in <c>Spec.Data</c>), the CLI's filters, Docker's statuses and messages.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SecretRouteTests : IAsyncLifetime
{
    private readonly InMemoryStateStore _store = new();
    private TestApiHost _host = null!;

    public async Task InitializeAsync()
    {
        byte[] managerSecret = RandomNumberGenerator.GetBytes(32);
        var secrets = new SecretManager(_store, () => SecretSeal.FromManagerSecret(managerSecret), TimeProvider.System, NullLogger.Instance);
        _host = await TestApiHost.StartAsync(secrets: secrets);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Theory]
    [InlineData("secret")]
    [InlineData("config")]
    public async Task CreateInspectListUpdateRemoveAsDockerShowsThem(string kind)
    {
        using var created = await _host.PostJsonAsync($"/v1.45/{kind}s/create", """{"Name":"app_pw","Labels":{"com.docker.stack.namespace":"app"},"Data":"czNjcjN0"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("ID").GetString()!;
        Assert.Matches("^[0-9a-z]{25}$", id);

        var inspected = JsonNode.Parse(await GetAsync($"/v1.45/{kind}s/app_pw"))!;
        ulong version = inspected["Version"]!["Index"]!.GetValue<ulong>();
        string data = kind == "config" ? ",\"Data\":\"czNjcjN0\"" : "";
        string expected = $$$"""
            {"ID":"{{{id}}}","Version":{"Index":{{{version}}}},"CreatedAt":"CREATED","UpdatedAt":"CREATED",
             "Spec":{"Name":"app_pw","Labels":{"com.docker.stack.namespace":"app"}{{{data}}}}}
            """.Replace("CREATED", inspected["CreatedAt"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertJsonEqual(expected, inspected.ToJsonString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", inspected["CreatedAt"]!.GetValue<string>());
        AssertJsonEqual(expected, await GetAsync($"/v1.45/{kind}s/{id[..5]}"));

        // docker secret ls --filter …, stack rm's label filter, the CLI's name resolution (`name` prefixes, `names` exact).
        Assert.Single(JsonNode.Parse(await GetAsync($"/v1.45/{kind}s?filters=" + Uri.EscapeDataString("""{"label":{"com.docker.stack.namespace=app":true}}""")))!.AsArray());
        Assert.Empty(JsonNode.Parse(await GetAsync($"/v1.45/{kind}s?filters=" + Uri.EscapeDataString("""{"label":["com.docker.stack.namespace=other"]}""")))!.AsArray());
        Assert.Single(JsonNode.Parse(await GetAsync($"/v1.45/{kind}s?filters=" + Uri.EscapeDataString("""{"name":["app_"]}""")))!.AsArray());
        Assert.Empty(JsonNode.Parse(await GetAsync($"/v1.45/{kind}s?filters=" + Uri.EscapeDataString("""{"names":["app_"]}""")))!.AsArray());
        Assert.Single(JsonNode.Parse(await GetAsync($"/v1.45/{kind}s?filters=" + Uri.EscapeDataString($$"""{"id":["{{id[..3]}}"]}""")))!.AsArray());
        await AssertErrorAsync(await _host.Client.GetAsync($"/v1.45/{kind}s?filters=" + Uri.EscapeDataString("""{"driver":["x"]}""")), HttpStatusCode.BadRequest, "invalid filter 'driver'");

        await AssertErrorAsync(await _host.PostJsonAsync($"/v1.45/{kind}s/create", """{"Name":"app_pw","Data":"eA=="}"""), HttpStatusCode.Conflict,
            $"rpc error: code = AlreadyExists desc = {kind} app_pw already exists");
        await AssertErrorAsync(await _host.PostJsonAsync($"/v1.45/{kind}s/{id}/update?version={version}", """{"Name":"app_pw","Data":"eA=="}"""), HttpStatusCode.BadRequest,
            "rpc error: code = InvalidArgument desc = only updates to Labels are allowed");
        await AssertErrorAsync(await _host.PostJsonAsync($"/v1.45/{kind}s/{id}/update?version={version + 5}", """{"Name":"app_pw"}"""), HttpStatusCode.BadRequest, "update out of sequence");
        using (var update = await _host.PostJsonAsync($"/v1.45/{kind}s/{id}/update?version={version}", """{"Name":"app_pw","Labels":{"x":"y"},"Data":"czNjcjN0"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        Assert.Equal("y", JsonNode.Parse(await GetAsync($"/v1.45/{kind}s/{id}"))!["Spec"]!["Labels"]!["x"]!.GetValue<string>());
        using (var removed = await _host.Client.DeleteAsync($"/v1.45/{kind}s/app_pw"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        await AssertErrorAsync(await _host.Client.GetAsync($"/v1.45/{kind}s/app_pw"), HttpStatusCode.NotFound, $"{kind} app_pw not found");
        await AssertErrorAsync(await _host.Client.DeleteAsync($"/v1.45/{kind}s/{id}"), HttpStatusCode.NotFound, $"{kind} {id} not found");
        Assert.Equal("[]", (await GetAsync($"/v1.45/{kind}s")).Trim());
    }

    [Fact]
    public async Task BadSpecsAreRefusedWithDockersMessages()
    {
        await AssertErrorAsync(await _host.PostJsonAsync("/v1.45/secrets/create", """{"Name":"pw"}"""), HttpStatusCode.BadRequest,
            "rpc error: code = InvalidArgument desc = secret data must be larger than 0 and less than 512000 bytes");
        string tooBig = Convert.ToBase64String(new byte[512000]);
        await AssertErrorAsync(await _host.PostJsonAsync("/v1.45/secrets/create", $$"""{"Name":"pw","Data":"{{tooBig}}"}"""), HttpStatusCode.BadRequest,
            "rpc error: code = InvalidArgument desc = secret data must be larger than 0 and less than 512000 bytes");
        await AssertErrorAsync(await _host.PostJsonAsync("/v1.45/configs/create", """{"Name":"a b","Data":"eA=="}"""), HttpStatusCode.BadRequest,
            "rpc error: code = InvalidArgument desc = invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]");
        using var driver = await _host.PostJsonAsync("/v1.45/secrets/create", """{"Name":"pw","Driver":{"Name":"vault"}}""");
        Assert.Equal(HttpStatusCode.NotImplemented, driver.StatusCode);
        Assert.Equal("[]", (await GetAsync("/v1.45/secrets")).Trim());
    }

    [Fact]
    public async Task TheStoredSecretRecordHoldsNoPlaintext()
    {
        byte[] plain = Encoding.UTF8.GetBytes("hunter2-and-more");
        using var created = await _host.PostJsonAsync("/v1.45/secrets/create", $$"""{"Name":"pw","Data":"{{Convert.ToBase64String(plain)}}"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = Assert.Single(await _store.ListAsync("swarm/secrets/"));
        Assert.Equal(-1, record.Value.Span.IndexOf(plain));
        Assert.DoesNotContain(Convert.ToBase64String(plain), Encoding.UTF8.GetString(record.Value.Span), StringComparison.Ordinal);
    }

    private Task<string> GetAsync(string path) => ApiAssert.GetOkAsync(_host.Client, path);
}
