using System.Net;
using System.Text.Json;
using Berth.Core.Errors;

namespace Berth.Api.Tests;

public sealed class NetworkRouteTests
{
    /// <summary>What CLI 28 sends for <c>docker network create</c> with every IPAM flag (docs/docker-api.md §2.1).</summary>
    private const string CliCreateBody =
        """{"Driver":"bridge","Scope":"","IPAM":{"Driver":"default","Options":{},"Config":[{"Subnet":"10.213.0.0/16","IPRange":"10.213.5.0/24","Gateway":"10.213.0.1","AuxiliaryAddresses":{"host1":"10.213.0.5"}}]},"Internal":false,"Attachable":false,"Ingress":false,"ConfigOnly":false,"ConfigFrom":null,"Options":{"com.docker.network.bridge.name":"brtest1","com.docker.network.driver.mtu":"1400"},"Labels":{"foo":"bar"},"Name":"testnet1","CheckDuplicate":true}""";

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync());

    private static async Task<string> CreateAsync(TestApiHost host, string body, string version = "v1.45")
    {
        using var response = await host.PostJsonAsync($"/{version}/networks/create", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        using var json = JsonDocument.Parse(text);
        Assert.Equal("", json.RootElement.GetProperty("Warning").GetString());
        return json.RootElement.GetProperty("Id").GetString()!;
    }

    [Fact]
    public async Task Create_then_inspect_echoes_options_and_ipam_exactly()
    {
        await using var host = await TestApiHost.StartAsync();
        string id = await CreateAsync(host, CliCreateBody);
        Assert.Matches("^[0-9a-f]{64}$", id);

        using var response = await host.Client.GetAsync("/v1.45/networks/testnet1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        JsonElement root = json.RootElement;
        Assert.Equal("testnet1", root.GetProperty("Name").GetString());
        Assert.Equal(id, root.GetProperty("Id").GetString());
        Assert.Equal("local", root.GetProperty("Scope").GetString());
        Assert.Equal("bridge", root.GetProperty("Driver").GetString());
        Assert.Equal(
            """{"Driver":"default","Options":{},"Config":[{"Subnet":"10.213.0.0/16","IPRange":"10.213.5.0/24","Gateway":"10.213.0.1","AuxiliaryAddresses":{"host1":"10.213.0.5"}}]}""",
            root.GetProperty("IPAM").GetRawText());
        Assert.Equal("""{"com.docker.network.bridge.name":"brtest1","com.docker.network.driver.mtu":"1400"}""", root.GetProperty("Options").GetRawText());
        Assert.Equal("""{"foo":"bar"}""", root.GetProperty("Labels").GetRawText());
        Assert.Equal("{}", root.GetProperty("Containers").GetRawText());
        Assert.Equal("""{"Network":""}""", root.GetProperty("ConfigFrom").GetRawText());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", root.GetProperty("Created").GetString());
        foreach (string flag in new[] { "EnableIPv6", "Internal", "Attachable", "Ingress", "ConfigOnly" })
        {
            Assert.False(root.GetProperty(flag).GetBoolean(), flag);
        }
    }

    [Fact]
    public async Task Ipam_options_null_stays_null_and_absent_ipam_gets_the_default_driver_with_the_picked_pool()
    {
        await using var host = await TestApiHost.StartAsync();
        await CreateAsync(host, """{"Name":"pynet","Driver":"bridge","IPAM":{"Driver":"default","Config":[{"Subnet":"10.218.0.0/24","IPRange":null,"Gateway":"10.218.0.1","AuxiliaryAddresses":null}]},"CheckDuplicate":true}""");
        await CreateAsync(host, """{"Name":"plain"}""");
        await CreateAsync(host, """{"Name":"odd","IPAM":{"Driver":"","Options":null,"Config":null}}""");

        using (var json = await ReadJsonAsync(await host.Client.GetAsync("/networks/pynet")))
        {
            Assert.Equal("""{"Driver":"default","Options":null,"Config":[{"Subnet":"10.218.0.0/24","Gateway":"10.218.0.1"}]}""", json.RootElement.GetProperty("IPAM").GetRawText());
        }

        using (var json = await ReadJsonAsync(await host.Client.GetAsync("/networks/plain")))
        {
            Assert.Equal("""{"Driver":"default","Options":null,"Config":[{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]}""", json.RootElement.GetProperty("IPAM").GetRawText());
            Assert.Equal("bridge", json.RootElement.GetProperty("Driver").GetString());
            Assert.Equal("{}", json.RootElement.GetProperty("Options").GetRawText());
            Assert.Equal("{}", json.RootElement.GetProperty("Labels").GetRawText());
        }

        using (var json = await ReadJsonAsync(await host.Client.GetAsync("/networks/odd")))
        {
            Assert.Equal("default", json.RootElement.GetProperty("IPAM").GetProperty("Driver").GetString());
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("IPAM").GetProperty("Options").ValueKind);
        }
    }

    [Fact]
    public async Task Maps_are_written_with_sorted_keys_as_Go_does()
    {
        await using var host = await TestApiHost.StartAsync();
        await CreateAsync(host, """{"Name":"sorted","Labels":{"z":"1","a":"2","m":"3"},"Options":{"y":"","b":"x"},"IPAM":{"Options":{"k2":"v","k1":"v"}}}""");
        using var json = await ReadJsonAsync(await host.Client.GetAsync("/networks/sorted"));
        Assert.Equal("""{"a":"2","m":"3","z":"1"}""", json.RootElement.GetProperty("Labels").GetRawText());
        Assert.Equal("""{"b":"x","y":""}""", json.RootElement.GetProperty("Options").GetRawText());
        Assert.Equal("""{"k1":"v","k2":"v"}""", json.RootElement.GetProperty("IPAM").GetProperty("Options").GetRawText());
    }

    [Fact]
    public async Task Create_passes_every_field_to_the_service()
    {
        await using var host = await TestApiHost.StartAsync();
        await CreateAsync(host, """{"Name":"ov","Driver":"macvlan","Internal":true,"Attachable":true,"EnableIPv6":true,"ConfigFrom":{"Network":"tmpl"},"Options":{"parent":"eth0","encrypted":""},"Labels":{"a":"b"},"IPAM":{"Driver":"default","Options":{"x":"y"}}}""");

        var config = host.Networks.Networks.Single(n => n.Name == "ov").Config;
        Assert.Equal("macvlan", config.Driver);
        Assert.Equal("local", config.Scope); // none asked for: the service filled in the driver's own
        Assert.True(config.Internal);
        Assert.True(config.Attachable);
        Assert.True(config.EnableIPv6);
        Assert.Equal("tmpl", config.ConfigFrom);
        Assert.Equal("", config.Options["encrypted"]);
        Assert.Equal("eth0", config.Options["parent"]);
        Assert.Equal("y", config.Ipam.Options!["x"]);
        Assert.True(config.Ipam.Config.IsEmpty);
    }

    [Fact]
    public async Task Duplicates_are_refused_from_1_44_and_below_it_only_with_CheckDuplicate()
    {
        await using var host = await TestApiHost.StartAsync();
        await CreateAsync(host, """{"Name":"dup"}""");

        using (var response = await host.PostJsonAsync("/v1.45/networks/create", """{"Name":"dup","CheckDuplicate":false}"""))
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("{\"message\":\"network with name dup already exists\"}\n", await response.Content.ReadAsStringAsync());
        }

        using (var response = await host.PostJsonAsync("/networks/create", """{"Name":"dup"}"""))
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        }

        using (var response = await host.PostJsonAsync("/v1.41/networks/create", """{"Name":"dup","CheckDuplicate":true}"""))
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        }

        await CreateAsync(host, """{"Name":"dup","CheckDuplicate":false}""", "v1.41");
        Assert.Equal(2, host.Networks.Networks.Count(n => n.Name == "dup"));
    }

    [Theory]
    [InlineData("{\"Name\":", "invalid JSON")]
    [InlineData("not json", "invalid JSON")]
    [InlineData("", "invalid JSON: got EOF while reading request body")]
    [InlineData("null", "invalid JSON")]
    [InlineData("{\"Name\":\"x\",\"Options\":{\"mtu\":1400}}", "invalid JSON")]
    [InlineData("{\"Name\":\"x\",\"Internal\":\"yes\"}", "invalid JSON")]
    [InlineData("{}", "network name is required")]
    [InlineData("{\"Name\":\"\"}", "network name is required")]
    public async Task Bad_create_bodies_are_400_naming_the_problem(string body, string messageStart)
    {
        await using var host = await TestApiHost.StartAsync();
        using var response = await host.PostJsonAsync("/v1.45/networks/create", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        Assert.StartsWith(messageStart, json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_accepts_id_name_and_prefix_and_404s_otherwise()
    {
        await using var host = await TestApiHost.StartAsync();
        string id = await CreateAsync(host, """{"Name":"findme"}""");

        foreach (string key in new[] { id, "findme", id[..12] })
        {
            using var response = await host.Client.GetAsync($"/v1.45/networks/{key}?verbose=true&scope=local");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = await ReadJsonAsync(response);
            Assert.Equal(id, json.RootElement.GetProperty("Id").GetString());
        }

        using (var response = await host.Client.GetAsync("/v1.45/networks/nosuchnet"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("{\"message\":\"network nosuchnet not found\"}\n", await response.Content.ReadAsStringAsync());
        }

        using (var response = await host.Client.GetAsync("/v1.45/networks/findme?scope=swarm"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task Predefined_networks_look_like_Dockers()
    {
        await using var host = await TestApiHost.StartAsync();
        using (var json = await ReadJsonAsync(await host.Client.GetAsync("/networks/bridge")))
        {
            Assert.Equal("bridge", json.RootElement.GetProperty("Driver").GetString());
            Assert.Equal("true", json.RootElement.GetProperty("Options").GetProperty("com.docker.network.bridge.default_bridge").GetString());
            Assert.Equal("berth0", json.RootElement.GetProperty("Options").GetProperty("com.docker.network.bridge.name").GetString());
            Assert.Equal("""[{"Subnet":"172.17.0.0/16","Gateway":"172.17.0.1"}]""", json.RootElement.GetProperty("IPAM").GetProperty("Config").GetRawText());
            Assert.Equal("2024-01-02T03:04:05Z", json.RootElement.GetProperty("Created").GetString());
        }

        foreach (string name in new[] { "host", "none" })
        {
            using var json = await ReadJsonAsync(await host.Client.GetAsync($"/networks/{name}"));
            Assert.Equal("""{"Driver":"default","Options":null,"Config":[]}""", json.RootElement.GetProperty("IPAM").GetRawText());
        }
    }

    [Fact]
    public async Task Delete_is_204_then_404_and_predefined_is_403()
    {
        await using var host = await TestApiHost.StartAsync();
        await CreateAsync(host, """{"Name":"gone"}""");

        using (var response = await host.Client.DeleteAsync("/v1.45/networks/gone"))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }

        using (var response = await host.Client.DeleteAsync("/v1.45/networks/gone"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using (var response = await host.Client.DeleteAsync("/v1.45/networks/bridge"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("{\"message\":\"bridge is a pre-defined network and cannot be removed\"}\n", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task List_returns_every_network_with_required_fields()
    {
        await using var host = await TestApiHost.StartAsync();
        await CreateAsync(host, CliCreateBody);
        using var response = await host.Client.GetAsync("/v1.45/networks");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = await ReadJsonAsync(response);

        var names = json.RootElement.EnumerateArray().Select(n => n.GetProperty("Name").GetString()).Order().ToList();
        Assert.Equal(["bridge", "host", "none", "testnet1"], names);
        JsonElement created = json.RootElement.EnumerateArray().Single(n => n.GetProperty("Name").GetString() == "testnet1");
        Assert.Equal("{}", created.GetProperty("Containers").GetRawText());
        Assert.Equal("""{"com.docker.network.bridge.name":"brtest1","com.docker.network.driver.mtu":"1400"}""", created.GetProperty("Options").GetRawText());
    }

    public static TheoryData<string, string[]> ListFilters => new()
    {
        // Map form (Go clients) and list form (docker-py) of the same filters.
        { """{"label":{"tier=back":true}}""", ["back1"] },
        { """{"label":["tier=back"]}""", ["back1"] },
        { """{"label":{"tier":true}}""", ["back1", "front1"] },
        { """{"label":["tier","env=prod"]}""", ["front1"] },
        { """{"label":{"tier=back":true,"env=prod":true}}""", [] },
        { """{"name":{"1":true}}""", ["back1", "front1"] },
        { """{"name":["front","bac"]}""", ["back1", "front1"] },
        { """{"name":["ont"]}""", ["front1"] },
        { """{"driver":{"macvlan":true}}""", ["front1"] },
        { """{"driver":["bridge"]}""", ["back1", "bridge"] },
        { """{"scope":["local"]}""", ["back1", "bridge", "front1", "host", "none"] },
        { """{"scope":{"swarm":true}}""", [] },
        { """{"type":{"custom":true}}""", ["back1", "front1"] },
        { """{"type":["builtin"]}""", ["bridge", "host", "none"] },
        { """{"type":["builtin","custom"]}""", ["back1", "bridge", "front1", "host", "none"] },
        { """{"dangling":{"true":true}}""", ["back1", "front1"] },
        { """{"dangling":["false"]}""", ["bridge", "host", "none"] },
        { """{"dangling":["1"],"driver":["bridge"]}""", ["back1"] },
        { """{}""", ["back1", "bridge", "front1", "host", "none"] },
        { """{"label":{"tier=back":false}}""", ["back1", "bridge", "front1", "host", "none"] },
    };

    [Theory]
    [MemberData(nameof(ListFilters))]
    public async Task List_filters_in_both_encodings(string filters, string[] expected)
    {
        await using var host = await TestApiHost.StartAsync();
        await CreateAsync(host, """{"Name":"back1","Labels":{"tier":"back"}}""");
        await CreateAsync(host, """{"Name":"front1","Driver":"macvlan","Labels":{"tier":"front","env":"prod"}}""");

        using var response = await host.Client.GetAsync("/v1.45/networks?filters=" + Uri.EscapeDataString(filters));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(expected, json.RootElement.EnumerateArray().Select(n => n.GetProperty("Name").GetString()!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task List_filter_id_is_a_prefix()
    {
        await using var host = await TestApiHost.StartAsync();
        string id = await CreateAsync(host, """{"Name":"byid"}""");
        using var json = await ReadJsonAsync(await host.Client.GetAsync("/networks?filters=" + Uri.EscapeDataString("{\"id\":{\"" + id[..5] + "\":true}}")));
        Assert.Equal("byid", Assert.Single(json.RootElement.EnumerateArray()).GetProperty("Name").GetString());
    }

    [Theory]
    [InlineData("""{"color":{"red":true}}""", "invalid filter 'color'")]
    [InlineData("""{"dangling":["maybe"]}""", "invalid filter 'dangling=maybe': use true or false")]
    [InlineData("""{"type":["weird"]}""", "invalid filter 'type=weird': use custom or builtin")]
    [InlineData("""["label"]""", "invalid filters: filters must be a JSON object such as {\"label\":{\"a=b\":true}}")]
    [InlineData("""{"label":"a=b"}""", "invalid filters: filter \"label\" must be an object of terms or a list of strings")]
    public async Task Bad_list_filters_are_400(string filters, string message)
    {
        await using var host = await TestApiHost.StartAsync();
        using var response = await host.Client.GetAsync("/v1.45/networks?filters=" + Uri.EscapeDataString(filters));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        Assert.Equal(message, json.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Bad_filter_json_is_400()
    {
        await using var host = await TestApiHost.StartAsync();
        using var response = await host.Client.GetAsync("/v1.45/networks?filters=" + Uri.EscapeDataString("{\"label\":"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        Assert.StartsWith("invalid filters: ", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_removes_custom_networks_and_says_null_when_nothing_left()
    {
        await using var host = await TestApiHost.StartAsync();
        await CreateAsync(host, """{"Name":"p1"}""");
        await CreateAsync(host, """{"Name":"p2"}""");

        using (var response = await host.Client.PostAsync("/v1.45/networks/prune", null))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("{\"NetworksDeleted\":[\"p1\",\"p2\"]}\n", await response.Content.ReadAsStringAsync());
        }

        using (var response = await host.Client.PostAsync("/v1.45/networks/prune", null))
        {
            Assert.Equal("{\"NetworksDeleted\":null}\n", await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(["bridge", "host", "none"], host.Networks.Networks.Select(n => n.Name).Order());
    }

    public static TheoryData<string, string[]> PruneFilters => new()
    {
        { """{"label":{"keep":true}}""", ["kept", "kept-too"] },
        { """{"label":["keep=yes"]}""", ["kept"] },
        { """{"label!":{"keep":true}}""", ["old", "plain"] },
        { """{"label!":["keep=yes"]}""", ["kept-too", "old", "plain"] },
        { """{"until":{"24h":true}}""", ["old"] },
        { """{"until":["2024-06-01T00:00:00Z"]}""", ["old"] },
        { """{"until":["1717200000"]}""", ["old"] },
        { """{"until":["1h30m"],"label!":["keep"]}""", ["old"] },
    };

    [Theory]
    [MemberData(nameof(PruneFilters))]
    public async Task Prune_filters_label_not_label_and_until(string filters, string[] expected)
    {
        await using var host = await TestApiHost.StartAsync();
        host.Networks.Now = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await CreateAsync(host, """{"Name":"old"}""");
        host.Networks.Now = DateTimeOffset.UtcNow;
        await CreateAsync(host, """{"Name":"kept","Labels":{"keep":"yes"}}""");
        await CreateAsync(host, """{"Name":"kept-too","Labels":{"keep":"no"}}""");
        await CreateAsync(host, """{"Name":"plain"}""");

        using var response = await host.Client.PostAsync("/v1.45/networks/prune?filters=" + Uri.EscapeDataString(filters), null);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(expected, json.RootElement.GetProperty("NetworksDeleted").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [InlineData("""{"driver":["bridge"]}""", "invalid filter 'driver'")]
    [InlineData("""{"until":["1h","2h"]}""", "more than one until filter specified")]
    [InlineData("""{"until":["yesterday"]}""", "failed to parse value as time or duration: \"yesterday\"")]
    public async Task Bad_prune_filters_are_400(string filters, string message)
    {
        await using var host = await TestApiHost.StartAsync();
        using var response = await host.Client.PostAsync("/v1.45/networks/prune?filters=" + Uri.EscapeDataString(filters), null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = await ReadJsonAsync(response);
        Assert.Equal(message, json.RootElement.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(ErrorKind.NotFound, HttpStatusCode.NotFound)]
    [InlineData(ErrorKind.InvalidArgument, HttpStatusCode.BadRequest)]
    [InlineData(ErrorKind.Conflict, HttpStatusCode.Conflict)]
    [InlineData(ErrorKind.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData(ErrorKind.Unavailable, HttpStatusCode.ServiceUnavailable)]
    [InlineData(ErrorKind.NotSupported, HttpStatusCode.NotImplemented)]
    [InlineData(ErrorKind.Internal, HttpStatusCode.InternalServerError)]
    public async Task Each_error_kind_has_its_status_and_message(ErrorKind kind, HttpStatusCode status)
    {
        await using var host = await TestApiHost.StartAsync();
        host.Networks.NextError = new BerthException(kind, $"network \"x\": {kind} happened; do something");
        using var response = await host.PostJsonAsync("/v1.45/networks/create", """{"Name":"x"}""");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"message\":\"network \\\"x\\\": " + kind + " happened; do something\"}\n", await response.Content.ReadAsStringAsync());
        Assert.Equal("1.45", Assert.Single(response.Headers.GetValues("Api-Version")));
    }

    [Fact]
    public async Task An_unexpected_exception_is_500_with_its_message()
    {
        await using var host = await TestApiHost.StartAsync();
        host.Networks.NextError = new InvalidOperationException("store is closed");
        using var response = await host.Client.GetAsync("/v1.45/networks");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("{\"message\":\"store is closed\"}\n", await response.Content.ReadAsStringAsync());
    }
}
