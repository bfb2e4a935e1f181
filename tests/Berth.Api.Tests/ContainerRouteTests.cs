using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Berth.Api.Tests;

/// <summary>The container, exec, volume and network-connect routes over the real Kestrel socket, with a <see cref="FakeContainerEngine"/> behind them.</summary>
public sealed class ContainerRouteTests
{
    /// <summary>What Berth's replies escape (as Go's encoder): quotes and control characters, not <c>'</c> or <c>+</c>.</summary>
    private static readonly JsonSerializerOptions GoEscaping = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode expected, string message)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        Assert.Equal($"{{\"message\":{JsonSerializer.Serialize(message, GoEscaping)}}}\n", text);
    }

    private static async Task AssertStatusAsync(Task<HttpResponseMessage> request, HttpStatusCode expected)
    {
        using var response = await request;
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
    }

    [Fact]
    public async Task Create_answers_201_with_the_id_and_empty_warnings()
    {
        await using var api = await ContainerApiHost.StartAsync();
        using var response = await api.PostJsonAsync("/v1.45/containers/create?name=web", """{"Image":"busy:latest","Cmd":["sleep","100"],"Labels":{"a":"b"}}""");
        string text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Matches("""^\{"Id":"[0-9a-f]{64}","Warnings":\[\]\}\n$""", text);
        var record = api.Engine.Get("web");
        Assert.Equal("sleep 100", string.Join(' ', record.Command));
        Assert.Equal(api.ImageId, record.ImageId);
        Assert.Equal("b", record.Spec.Labels["a"]);
    }

    [Fact]
    public async Task Create_refuses_unknown_images_used_names_and_bad_bodies_with_dockers_statuses()
    {
        await using var api = await ContainerApiHost.StartAsync();
        string first = await api.CreateAsync("web");

        using (var response = await api.PostJsonAsync("/v1.45/containers/create", """{"Image":"nope"}"""))
        {
            await AssertErrorAsync(response, HttpStatusCode.NotFound, "No such image: nope:latest");
        }

        using (var response = await api.PostJsonAsync("/v1.45/containers/create?name=web", """{"Image":"busy:latest"}"""))
        {
            await AssertErrorAsync(response, HttpStatusCode.Conflict,
                $"Conflict. The container name \"/web\" is already in use by container \"{first}\". You have to remove (or rename) that container to be able to reuse that name.");
        }

        using (var response = await api.PostJsonAsync("/v1.45/containers/create", """{"Image":"""))
        {
            string text = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith("""{"message":"invalid JSON: """, text, StringComparison.Ordinal);
        }

        using (var response = await api.PostJsonAsync("/v1.45/containers/create", """{"Cmd":["sh"]}"""))
        {
            await AssertErrorAsync(response, HttpStatusCode.BadRequest, "config: Image is required");
        }

        using (var response = await api.PostJsonAsync("/v1.45/containers/create", """{"Image":"busy:latest","HostConfig":{"RestartPolicy":{"Name":"sometimes"}}}"""))
        {
            await AssertErrorAsync(response, HttpStatusCode.BadRequest,
                "invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }

        using (var response = await api.PostJsonAsync("/v1.45/containers/create", """{"Image":"busy:latest","HostConfig":{"RestartPolicy":{"Name":"always","MaximumRetryCount":3}}}"""))
        {
            await AssertErrorAsync(response, HttpStatusCode.BadRequest, "invalid restart policy: maximum retry count can only be used with 'on-failure'");
        }

        Assert.Single(api.Engine.List());
    }

    [Fact]
    public async Task Start_answers_204_then_304_when_already_running()
    {
        await using var api = await ContainerApiHost.StartAsync();
        string id = await api.CreateAsync("web");
        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/start"), HttpStatusCode.NoContent);
        await AssertStatusAsync(api.PostAsync($"/v1.45/containers/{id[..6]}/start"), HttpStatusCode.NotModified);
        Assert.Equal(Runtime.Engine.ContainerStatus.Running, api.Engine.Get(id).Status);
    }

    [Fact]
    public async Task Stop_kill_restart_wait_and_remove_pass_their_query_parameters()
    {
        await using var api = await ContainerApiHost.StartAsync();
        string id = await api.CreateAsync("web");

        using (var response = await api.PostAsync("/v1.45/containers/web/kill"))
        {
            await AssertErrorAsync(response, HttpStatusCode.Conflict, $"Container {id} is not running");
        }

        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/start"), HttpStatusCode.NoContent);
        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/kill?signal=SIGHUP"), HttpStatusCode.NoContent);
        Assert.Contains($"kill {id} HUP", api.Engine.Calls);

        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/restart?t=2"), HttpStatusCode.NoContent);
        Assert.Contains($"stop {id} 2s", api.Engine.Calls);
        Assert.Equal(Runtime.Engine.ContainerStatus.Running, api.Engine.Get(id).Status);

        using (var response = await api.Client.DeleteAsync("/v1.45/containers/web"))
        {
            await AssertErrorAsync(response, HttpStatusCode.Conflict,
                $"You cannot remove a running container {id}. Stop the container before attempting removal or force remove");
        }

        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/stop?t=3"), HttpStatusCode.NoContent);
        Assert.Contains($"stop {id} 3s", api.Engine.Calls);
        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/start"), HttpStatusCode.NoContent);
        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/stop?signal=SIGINT&t=-1"), HttpStatusCode.NoContent);
        Assert.Contains($"stop {id} -0.001s SIGINT", api.Engine.Calls);
        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/start"), HttpStatusCode.NoContent);
        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/stop"), HttpStatusCode.NoContent);
        Assert.Contains($"stop {id} default", api.Engine.Calls);

        using (var response = await api.PostAsync("/v1.45/containers/web/wait?condition=not-running"))
        {
            Assert.Equal(143, (await JsonAsync(response, HttpStatusCode.OK)).GetProperty("StatusCode").GetInt32());
        }

        Assert.Contains($"wait {id} not-running", api.Engine.Calls);

        await AssertStatusAsync(api.Client.DeleteAsync("/v1.45/containers/web?force=1&v=true"), HttpStatusCode.NoContent);
        Assert.Contains($"rm {id} force=True v=True", api.Engine.Calls);
        Assert.Empty(api.Engine.List());
    }

    [Fact]
    public async Task List_shows_running_containers_unless_all_and_applies_limit_and_filters()
    {
        await using var api = await ContainerApiHost.StartAsync();
        string idle = await api.CreateAsync("idle", """{"Image":"busy:latest","Labels":{"tier":"db"}}""");
        await Task.Delay(TimeSpan.FromMilliseconds(5));
        string web = await api.CreateAsync("web", """{"Image":"busy:latest","Labels":{"tier":"front"}}""");
        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/start"), HttpStatusCode.NoContent);

        static string[] Ids(JsonElement list) => [.. list.EnumerateArray().Select(c => c.GetProperty("Id").GetString()!)];

        Assert.Equal([web], Ids(await JsonAsync(await api.Client.GetAsync("/v1.45/containers/json"), HttpStatusCode.OK)));
        Assert.Equal([web, idle], Ids(await JsonAsync(await api.Client.GetAsync("/v1.45/containers/json?all=1"), HttpStatusCode.OK)));
        Assert.Equal([web], Ids(await JsonAsync(await api.Client.GetAsync("/v1.45/containers/json?all=1&limit=1"), HttpStatusCode.OK)));

        string Filter(string json) => "/v1.45/containers/json?filters=" + Uri.EscapeDataString(json);
        Assert.Equal([idle], Ids(await JsonAsync(await api.Client.GetAsync(Filter("""{"status":{"created":true}}""")), HttpStatusCode.OK)));
        Assert.Equal([idle], Ids(await JsonAsync(await api.Client.GetAsync(Filter("""{"name":{"idle":true}}""") + "&all=1"), HttpStatusCode.OK)));
        Assert.Equal([web], Ids(await JsonAsync(await api.Client.GetAsync(Filter("""{"label":{"tier=front":true}}""") + "&all=1"), HttpStatusCode.OK)));

        using (var response = await api.Client.GetAsync(Filter("""{"status":{"sleeping":true}}""")))
        {
            await AssertErrorAsync(response, HttpStatusCode.BadRequest,
                "invalid filter 'status=sleeping': invalid value for state (sleeping): must be one of created, running, paused, restarting, removing, exited, dead");
        }

        var summary = (await JsonAsync(await api.Client.GetAsync("/v1.45/containers/json"), HttpStatusCode.OK))[0];
        Assert.Equal("""["/web"]""", summary.GetProperty("Names").GetRawText());
        Assert.Equal("busy:latest", summary.GetProperty("Image").GetString());
        Assert.Equal(api.ImageId, summary.GetProperty("ImageID").GetString());
        Assert.Equal("sh", summary.GetProperty("Command").GetString());
        Assert.Equal("running", summary.GetProperty("State").GetString());
        Assert.Equal("default", summary.GetProperty("HostConfig").GetProperty("NetworkMode").GetString());
        Assert.Equal("""{"tier":"front"}""", summary.GetProperty("Labels").GetRawText());
    }

    [Fact]
    public async Task Inspect_shows_state_network_mode_and_the_configured_networks_of_a_created_container()
    {
        await using var api = await ContainerApiHost.StartAsync();
        string id = await api.CreateAsync("web");
        var bridge = api.Host.Networks.Networks.Single(n => n.Name == "bridge");

        var inspect = await JsonAsync(await api.Client.GetAsync($"/v1.45/containers/{id[..8]}/json"), HttpStatusCode.OK);
        Assert.Equal(id, inspect.GetProperty("Id").GetString());
        Assert.Equal("/web", inspect.GetProperty("Name").GetString());
        Assert.Equal(api.ImageId, inspect.GetProperty("Image").GetString());
        Assert.Equal("sh", inspect.GetProperty("Path").GetString());
        Assert.Equal("[]", inspect.GetProperty("Args").GetRawText());
        var state = inspect.GetProperty("State");
        Assert.Equal("created", state.GetProperty("Status").GetString());
        Assert.False(state.GetProperty("Running").GetBoolean());
        Assert.Equal(0, state.GetProperty("Pid").GetInt32());
        Assert.Equal("0001-01-01T00:00:00Z", state.GetProperty("StartedAt").GetString());
        Assert.Equal("default", inspect.GetProperty("HostConfig").GetProperty("NetworkMode").GetString());
        Assert.Equal("""{"Name":"no","MaximumRetryCount":0}""", inspect.GetProperty("HostConfig").GetProperty("RestartPolicy").GetRawText());
        Assert.Equal(id[..12], inspect.GetProperty("Config").GetProperty("Hostname").GetString());
        Assert.Equal("""["sh"]""", inspect.GetProperty("Config").GetProperty("Cmd").GetRawText());

        var networks = inspect.GetProperty("NetworkSettings").GetProperty("Networks");
        Assert.Equal(["bridge"], networks.EnumerateObject().Select(p => p.Name));
        Assert.Equal(bridge.Id.Value, networks.GetProperty("bridge").GetProperty("NetworkID").GetString());
        Assert.Equal("", networks.GetProperty("bridge").GetProperty("IPAddress").GetString());
        Assert.Equal("", inspect.GetProperty("NetworkSettings").GetProperty("SandboxKey").GetString());

        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/start"), HttpStatusCode.NoContent);
        state = (await JsonAsync(await api.Client.GetAsync("/v1.45/containers/web/json"), HttpStatusCode.OK)).GetProperty("State");
        Assert.Equal("running", state.GetProperty("Status").GetString());
        Assert.True(state.GetProperty("Running").GetBoolean());
        Assert.Equal(4242, state.GetProperty("Pid").GetInt32());
    }

    [Fact]
    public async Task Resource_limits_reach_the_engine_and_inspect_shows_them_with_dockers_names_and_zero_values()
    {
        await using var api = await ContainerApiHost.StartAsync();
        await api.CreateAsync("limited", """{"Image":"busy:latest","HostConfig":{"Memory":16777216,"MemorySwap":33554432,"NanoCpus":500000000,"CpuShares":512,"CpusetCpus":"0","PidsLimit":50,"OomKillDisable":false}}""");
        await api.CreateAsync("free");

        var limited = api.Engine.Get("limited").Spec.Resources;
        Assert.Equal((16L << 20, 32L << 20, 500_000_000L, 512L, "0", 50L, false), (limited.Memory, limited.MemorySwap, limited.NanoCpus, limited.CpuShares, limited.CpusetCpus, limited.PidsLimit, limited.OomKillDisable));

        var host = (await JsonAsync(await api.Client.GetAsync("/v1.45/containers/limited/json"), HttpStatusCode.OK)).GetProperty("HostConfig");
        Assert.Equal(16L << 20, host.GetProperty("Memory").GetInt64());
        Assert.Equal(500_000_000, host.GetProperty("NanoCpus").GetInt64());
        Assert.Equal(50, host.GetProperty("PidsLimit").GetInt64());
        Assert.False(host.GetProperty("OomKillDisable").GetBoolean());

        host = (await JsonAsync(await api.Client.GetAsync("/v1.45/containers/free/json"), HttpStatusCode.OK)).GetProperty("HostConfig");
        foreach (string field in new[] { "Memory", "MemorySwap", "MemoryReservation", "NanoCpus", "CpuShares", "CpuPeriod", "CpuQuota" })
        {
            Assert.Equal(0, host.GetProperty(field).GetInt64());
        }

        Assert.Equal("", host.GetProperty("CpusetCpus").GetString());
        Assert.Equal("", host.GetProperty("CpusetMems").GetString());
        Assert.Equal(JsonValueKind.Null, host.GetProperty("PidsLimit").ValueKind);
        Assert.Equal(JsonValueKind.Null, host.GetProperty("OomKillDisable").ValueKind);
    }

    [Fact]
    public async Task A_running_containers_endpoint_on_a_swarm_network_not_known_here_yet_is_shown_by_the_networks_recorded_name()
    {
        // A berthd that has just started, or a worker whose managers are out of reach: the cluster's networks are not in
        // its cache, its containers' endpoints on them are. inspect and ps must not answer 404 for that.
        await using var api = await ContainerApiHost.StartAsync();
        string id = await api.CreateAsync("web");
        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/start"), HttpStatusCode.NoContent);
        var unknown = Berth.Core.Networks.NetworkId.New();
        api.Engine.Endpoints[id] =
        [
            new Berth.Network.Endpoints.EndpointState
            {
                EndpointId = new string('e', 64),
                ContainerId = id,
                NetworkId = unknown,
                InterfaceName = "eth0",
                IPv4 = Berth.Core.Addressing.IPPrefix.Parse("10.0.1.5/24"),
                MacAddress = "02:42:0a:00:01:05",
                ClusterName = "web",
                ClusterNetworkName = "my-overlay",
            },
        ];

        var networks = (await JsonAsync(await api.Client.GetAsync("/v1.45/containers/web/json"), HttpStatusCode.OK)).GetProperty("NetworkSettings").GetProperty("Networks");
        Assert.Equal(["my-overlay"], networks.EnumerateObject().Select(p => p.Name));
        Assert.Equal(unknown.Value, networks.GetProperty("my-overlay").GetProperty("NetworkID").GetString());
        Assert.Equal("10.0.1.5", networks.GetProperty("my-overlay").GetProperty("IPAddress").GetString());
        var listed = await JsonAsync(await api.Client.GetAsync("/v1.45/containers/json"), HttpStatusCode.OK);
        Assert.Equal("10.0.1.5", listed[0].GetProperty("NetworkSettings").GetProperty("Networks").GetProperty("my-overlay").GetProperty("IPAddress").GetString());
    }

    [Fact]
    public async Task Rename_answers_204_and_refuses_a_name_in_use()
    {
        await using var api = await ContainerApiHost.StartAsync();
        string id = await api.CreateAsync("web");
        string other = await api.CreateAsync("db");
        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/rename?name=front"), HttpStatusCode.NoContent);
        Assert.Equal("/front", (await JsonAsync(await api.Client.GetAsync($"/v1.45/containers/{id}/json"), HttpStatusCode.OK)).GetProperty("Name").GetString());
        using var response = await api.PostAsync("/v1.45/containers/front/rename?name=db");
        await AssertErrorAsync(response, HttpStatusCode.Conflict,
            $"Conflict. The container name \"/db\" is already in use by container \"{other}\". You have to remove (or rename) that container to be able to reuse that name.");
    }

    [Fact]
    public async Task Exec_create_and_inspect_echo_the_request()
    {
        await using var api = await ContainerApiHost.StartAsync();
        string id = await api.CreateAsync("web");
        using (var response = await api.PostJsonAsync("/v1.45/containers/web/exec", """{"Cmd":["ls","-l"]}"""))
        {
            await AssertErrorAsync(response, HttpStatusCode.Conflict, $"Container {id} is not running");
        }

        await AssertStatusAsync(api.PostAsync("/v1.45/containers/web/start"), HttpStatusCode.NoContent);
        var created = await JsonAsync(await api.PostJsonAsync("/v1.45/containers/web/exec", """{"Cmd":["ls","-l"],"AttachStdout":true,"Tty":true,"User":"nobody"}"""), HttpStatusCode.Created);
        string execId = created.GetProperty("Id").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", execId);

        var inspect = await JsonAsync(await api.Client.GetAsync($"/v1.45/exec/{execId}/json"), HttpStatusCode.OK);
        Assert.Equal(execId, inspect.GetProperty("ID").GetString());
        Assert.Equal(id, inspect.GetProperty("ContainerID").GetString());
        Assert.False(inspect.GetProperty("Running").GetBoolean());
        Assert.True(inspect.GetProperty("OpenStdout").GetBoolean());
        Assert.False(inspect.GetProperty("OpenStdin").GetBoolean());
        var process = inspect.GetProperty("ProcessConfig");
        Assert.Equal("ls", process.GetProperty("entrypoint").GetString());
        Assert.Equal("""["-l"]""", process.GetProperty("arguments").GetRawText());
        Assert.True(process.GetProperty("tty").GetBoolean());
        Assert.Equal("nobody", process.GetProperty("user").GetString());

        using (var response = await api.Client.GetAsync("/v1.45/exec/feedface/json"))
        {
            await AssertErrorAsync(response, HttpStatusCode.NotFound, "No such exec instance: feedface");
        }

        using (var response = await api.PostJsonAsync("/v1.45/containers/web/exec", """{"Cmd":[]}"""))
        {
            await AssertErrorAsync(response, HttpStatusCode.BadRequest, "No exec command specified");
        }
    }

    [Fact]
    public async Task Volumes_are_created_listed_inspected_and_removed_unless_in_use()
    {
        await using var api = await ContainerApiHost.StartAsync();
        var created = await JsonAsync(await api.PostJsonAsync("/v1.45/volumes/create", """{"Name":"data","Labels":{"k":"v"}}"""), HttpStatusCode.Created);
        Assert.Equal("data", created.GetProperty("Name").GetString());
        Assert.Equal("local", created.GetProperty("Driver").GetString());
        Assert.Equal("local", created.GetProperty("Scope").GetString());
        Assert.Equal("""{"k":"v"}""", created.GetProperty("Labels").GetRawText());
        Assert.Equal(api.Engine.Volumes.MountpointOf("data"), created.GetProperty("Mountpoint").GetString());

        var list = await JsonAsync(await api.Client.GetAsync("/v1.45/volumes"), HttpStatusCode.OK);
        Assert.Equal(["data"], list.GetProperty("Volumes").EnumerateArray().Select(v => v.GetProperty("Name").GetString()));

        Assert.Equal("data", (await JsonAsync(await api.Client.GetAsync("/v1.45/volumes/data"), HttpStatusCode.OK)).GetProperty("Name").GetString());
        using (var response = await api.Client.GetAsync("/v1.45/volumes/nope"))
        {
            await AssertErrorAsync(response, HttpStatusCode.NotFound, "get nope: no such volume");
        }

        string user = await api.CreateAsync("db", """{"Image":"busy:latest","HostConfig":{"Binds":["data:/var/lib/data"]}}""");
        using (var response = await api.Client.DeleteAsync("/v1.45/volumes/data"))
        {
            await AssertErrorAsync(response, HttpStatusCode.Conflict, $"remove data: volume is in use - [{user}]");
        }

        var dangling = await JsonAsync(await api.Client.GetAsync("/v1.45/volumes?filters=" + Uri.EscapeDataString("""{"dangling":{"true":true}}""")), HttpStatusCode.OK);
        Assert.Empty(dangling.GetProperty("Volumes").EnumerateArray());

        await AssertStatusAsync(api.Client.DeleteAsync("/v1.45/containers/db"), HttpStatusCode.NoContent);
        await AssertStatusAsync(api.Client.DeleteAsync("/v1.45/volumes/data"), HttpStatusCode.NoContent);
        await AssertStatusAsync(api.Client.DeleteAsync("/v1.45/volumes/data?force=1"), HttpStatusCode.NoContent);
        Assert.Empty(api.Engine.Volumes.List());
    }

    [Fact]
    public async Task Network_connect_and_disconnect_reach_the_engine_with_the_container()
    {
        await using var api = await ContainerApiHost.StartAsync();
        string id = await api.CreateAsync("web");
        await AssertStatusAsync(api.PostJsonAsync("/v1.45/networks/bridge/connect", """{"Container":"web","EndpointConfig":{"Aliases":["www"]}}"""), HttpStatusCode.OK);
        Assert.Contains($"connect {id} bridge", api.Engine.Calls);
        await AssertStatusAsync(api.PostJsonAsync("/v1.45/networks/bridge/disconnect", """{"Container":"web"}"""), HttpStatusCode.OK);
        Assert.Contains($"disconnect {id} bridge", api.Engine.Calls);
        using var response = await api.PostJsonAsync("/v1.45/networks/bridge/connect", """{"Container":"ghost"}""");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "No such container: ghost");
    }

    [Theory]
    [InlineData("GET", "/v1.45/containers/x/json")]
    [InlineData("POST", "/v1.45/containers/x/start")]
    [InlineData("POST", "/v1.45/containers/x/stop")]
    [InlineData("POST", "/v1.45/containers/x/kill")]
    [InlineData("POST", "/v1.45/containers/x/restart")]
    [InlineData("POST", "/v1.45/containers/x/wait")]
    [InlineData("POST", "/v1.45/containers/x/rename?name=y")]
    [InlineData("DELETE", "/v1.45/containers/x")]
    [InlineData("GET", "/v1.45/containers/x/logs?stdout=1")]
    [InlineData("POST", "/v1.45/containers/x/resize?h=10&w=10")]
    public async Task A_missing_container_answers_404_with_dockers_message(string method, string path)
    {
        await using var api = await ContainerApiHost.StartAsync();
        await api.CreateAsync("web");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await api.Client.SendAsync(request);
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "No such container: x");
    }

    [Fact]
    public async Task Exec_on_a_missing_container_answers_404()
    {
        await using var api = await ContainerApiHost.StartAsync();
        using var response = await api.PostJsonAsync("/v1.45/containers/x/exec", """{"Cmd":["ls"]}""");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "No such container: x");
    }
}
