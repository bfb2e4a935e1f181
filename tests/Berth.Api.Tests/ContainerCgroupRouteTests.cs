using System.Net;
using System.Text.Json;

namespace Berth.Api.Tests;

/// <summary>The pause, update, top and stats routes and the resource fields of create/inspect, over the real Kestrel socket with a fake engine.</summary>
public sealed class ContainerCgroupRouteTests
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    [Fact]
    public async Task Pause_shows_paused_in_inspect_and_ps_and_conflicts_are_409()
    {
        await using var api = await ContainerApiHost.StartAsync();
        string id = await api.CreateAsync("web", """{"Image":"busy:latest","Cmd":["sleep","600"]}""");
        using (var notRunning = await api.PostAsync("/v1.45/containers/web/pause"))
        {
            Assert.Equal(HttpStatusCode.Conflict, notRunning.StatusCode);
            Assert.Contains($"Container {id} is not running", await notRunning.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        (await api.PostAsync("/v1.45/containers/web/start")).Dispose();
        using (var paused = await api.PostAsync("/v1.45/containers/web/pause"))
        {
            Assert.Equal(HttpStatusCode.NoContent, paused.StatusCode);
        }

        var state = (await JsonAsync(await api.Client.GetAsync("/v1.45/containers/web/json"), HttpStatusCode.OK)).GetProperty("State");
        Assert.Equal(("paused", true, true), (state.GetProperty("Status").GetString(), state.GetProperty("Paused").GetBoolean(), state.GetProperty("Running").GetBoolean()));
        var row = (await JsonAsync(await api.Client.GetAsync("/v1.45/containers/json"), HttpStatusCode.OK))[0];
        Assert.Equal("paused", row.GetProperty("State").GetString());
        Assert.EndsWith(" (Paused)", row.GetProperty("Status").GetString(), StringComparison.Ordinal);

        using (var again = await api.PostAsync("/v1.45/containers/web/pause"))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        using (var unpaused = await api.PostAsync("/v1.45/containers/web/unpause"))
        {
            Assert.Equal(HttpStatusCode.NoContent, unpaused.StatusCode);
        }
    }

    [Fact]
    public async Task Update_reads_dockers_update_config_and_answers_warnings()
    {
        await using var api = await ContainerApiHost.StartAsync();
        await api.CreateAsync("web");
        var reply = await JsonAsync(await api.PostJsonAsync("/v1.45/containers/web/update",
            """{"Memory":33554432,"MemorySwap":0,"NanoCpus":500000000,"PidsLimit":-1,"KernelMemory":1048576,"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3}}"""), HttpStatusCode.OK);
        Assert.Equal(0, reply.GetProperty("Warnings").GetArrayLength());
        var update = Assert.Single(((FakeContainerCgroups)api.Engine.Cgroups).Updates);
        Assert.Equal((33554432L, 500000000L, (long?)0), (update.Resources.Memory, update.Resources.NanoCpus, update.Resources.PidsLimit));
        Assert.Equal(new Runtime.Engine.RestartPolicy("on-failure", 3), update.RestartPolicy);

        // Below API 1.42 a kernel memory limit is dropped with Docker's warning; a policy with no name keeps the old one.
        reply = await JsonAsync(await api.PostJsonAsync("/v1.41/containers/web/update", """{"KernelMemory":1048576,"RestartPolicy":{"Name":""}}"""), HttpStatusCode.OK);
        Assert.Equal("Your kernel does not support kernel memory limit capabilities or the cgroup is not mounted. Limitation discarded.", reply.GetProperty("Warnings")[0].GetString());
        Assert.Null(((FakeContainerCgroups)api.Engine.Cgroups).Updates[1].RestartPolicy);

        using var bad = await api.PostJsonAsync("/v1.45/containers/web/update", """{"RestartPolicy":{"Name":"sometimes"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Top_answers_titles_and_processes()
    {
        await using var api = await ContainerApiHost.StartAsync();
        await api.CreateAsync("web");
        (await api.PostAsync("/v1.45/containers/web/start")).Dispose();
        var top = await JsonAsync(await api.Client.GetAsync("/v1.45/containers/web/top?ps_args=-ef"), HttpStatusCode.OK);
        Assert.Equal("PID", top.GetProperty("Titles")[1].GetString());
        Assert.Equal("4242", top.GetProperty("Processes")[0][1].GetString());
        using var refused = await api.Client.GetAsync("/v1.45/containers/web/top?ps_args=" + Uri.EscapeDataString("-o user=PID"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task Stats_write_dockers_json_primed_with_precpu_and_a_zero_sample_when_stopped()
    {
        await using var api = await ContainerApiHost.StartAsync();
        string id = await api.CreateAsync("web");
        var stopped = await JsonAsync(await api.Client.GetAsync("/v1.45/containers/web/stats?stream=0"), HttpStatusCode.OK);
        Assert.Equal(("0001-01-01T00:00:00Z", "/web", id), (stopped.GetProperty("read").GetString(), stopped.GetProperty("name").GetString(), stopped.GetProperty("id").GetString()));
        Assert.Equal(0UL, stopped.GetProperty("cpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64());
        Assert.False(stopped.TryGetProperty("networks", out _));
        Assert.Equal(JsonValueKind.Null, stopped.GetProperty("blkio_stats").GetProperty("io_service_bytes_recursive").ValueKind);

        (await api.PostAsync("/v1.45/containers/web/start")).Dispose();
        using (var both = await api.Client.GetAsync("/v1.45/containers/web/stats?stream=1&one-shot=1"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        }

        var sample = await JsonAsync(await api.Client.GetAsync("/v1.45/containers/web/stats?stream=false"), HttpStatusCode.OK);
        var cpu = sample.GetProperty("cpu_stats");
        var precpu = sample.GetProperty("precpu_stats");
        ulong cpuDelta = cpu.GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64() - precpu.GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64();
        ulong systemDelta = cpu.GetProperty("system_cpu_usage").GetUInt64() - precpu.GetProperty("system_cpu_usage").GetUInt64();
        Assert.Equal(50.0, (double)cpuDelta / systemDelta * cpu.GetProperty("online_cpus").GetUInt32() * 100);
        Assert.Equal("1970-01-01T00:00:02Z", sample.GetProperty("read").GetString());
        Assert.Equal("1970-01-01T00:00:01Z", sample.GetProperty("preread").GetString());
        var memory = sample.GetProperty("memory_stats");
        Assert.Equal((10UL << 20, 64UL << 20, 1UL << 20), (memory.GetProperty("usage").GetUInt64(), memory.GetProperty("limit").GetUInt64(), memory.GetProperty("stats").GetProperty("inactive_file").GetUInt64()));
        Assert.False(memory.TryGetProperty("max_usage", out _));
        Assert.Equal(3UL, sample.GetProperty("pids_stats").GetProperty("current").GetUInt64());
        Assert.Equal(1000UL, sample.GetProperty("networks").GetProperty("eth0").GetProperty("rx_bytes").GetUInt64());
        Assert.Equal("write", sample.GetProperty("blkio_stats").GetProperty("io_service_bytes_recursive")[1].GetProperty("op").GetString());

        // A stream: one object per line, once a second, each with the previous one's CPU as precpu.
        using var streamed = await api.Client.GetAsync("/v1.45/containers/web/stats", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await streamed.Content.ReadAsStreamAsync());
        using var first = JsonDocument.Parse((await reader.ReadLineAsync())!);
        using var second = JsonDocument.Parse((await reader.ReadLineAsync())!);
        Assert.Equal(0UL, first.RootElement.GetProperty("precpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64());
        Assert.Equal(first.RootElement.GetProperty("cpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64(),
            second.RootElement.GetProperty("precpu_stats").GetProperty("cpu_usage").GetProperty("total_usage").GetUInt64());
    }

    [Fact]
    public async Task Create_keeps_the_resource_flags_and_inspect_shows_them_with_dockers_zero_values()
    {
        await using var api = await ContainerApiHost.StartAsync();
        await api.CreateAsync("plain");
        var host = (await JsonAsync(await api.Client.GetAsync("/v1.45/containers/plain/json"), HttpStatusCode.OK)).GetProperty("HostConfig");
        Assert.Equal(67108864, host.GetProperty("ShmSize").GetInt64());
        Assert.Equal(JsonValueKind.Null, host.GetProperty("MemorySwappiness").ValueKind);
        Assert.Equal(0, host.GetProperty("BlkioWeight").GetInt32());
        Assert.Equal(0, host.GetProperty("Ulimits").GetArrayLength());
        Assert.Equal(0, host.GetProperty("BlkioDeviceReadBps").GetArrayLength());
        Assert.False(host.TryGetProperty("KernelMemory", out _));

        await api.CreateAsync("tuned", """{"Image":"busy:latest","HostConfig":{"ShmSize":33554432,"MemorySwappiness":-1,"Ulimits":[{"Name":"nofile","Soft":1024,"Hard":2048}]}}""");
        host = (await JsonAsync(await api.Client.GetAsync("/v1.45/containers/tuned/json"), HttpStatusCode.OK)).GetProperty("HostConfig");
        Assert.Equal(33554432, host.GetProperty("ShmSize").GetInt64());
        Assert.Equal(JsonValueKind.Null, host.GetProperty("MemorySwappiness").ValueKind);
        Assert.Equal("""{"Name":"nofile","Hard":2048,"Soft":1024}""", host.GetProperty("Ulimits")[0].GetRawText());

        using var negative = await api.PostJsonAsync("/v1.45/containers/create", """{"Image":"busy:latest","HostConfig":{"ShmSize":-1}}""");
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Contains("SHM size can not be less than 0", await negative.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var weight = await api.PostJsonAsync("/v1.45/containers/create", """{"Image":"busy:latest","HostConfig":{"BlkioWeight":5}}""");
        Assert.Equal(HttpStatusCode.BadRequest, weight.StatusCode);
        Assert.Contains("Range of blkio weight is from 10 to 1000", await weight.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
