using System.Net;
using System.Text.Json;
using Berth.Cluster.Swarm;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Api.Tests;

/// <summary>
/// <c>/swarm</c>, <c>/nodes</c>, <c>/info</c> and <c>/_ping</c> over a real <see cref="SwarmNode"/> on an in-memory
/// cluster: the shapes the docker CLI reads, Docker's statuses and messages.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SwarmRouteTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "berth-swarm-api-" + Guid.NewGuid().ToString("N"));
    private SwarmNode _swarm = null!;
    private TestApiHost _host = null!;

    public async Task InitializeAsync()
    {
        _swarm = new SwarmNode(SwarmPaths.Under(_root), new SwarmHostFacts { Hostname = "testhost", EngineVersion = "27.0.0-berth", NanoCpus = 2_000_000_000 },
            new InMemoryClusterBackend(), joinListener: null, TimeProvider.System, NullLogger.Instance);
        _host = await TestApiHost.StartAsync(swarm: _swarm);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _swarm.DisposeAsync();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task OutsideASwarmTheRoutesAnswerAsDockerDoes()
    {
        Assert.Equal("inactive", await PingSwarmAsync());
        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/nodes"), HttpStatusCode.ServiceUnavailable, SwarmErrors.NotAManager);
        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/swarm"), HttpStatusCode.ServiceUnavailable, SwarmErrors.NotAManager);
        await AssertErrorAsync(await _host.Client.PostAsync("/v1.45/swarm/leave?force=1", null), HttpStatusCode.ServiceUnavailable, SwarmErrors.NotPartOfASwarm);
        using var info = await GetJsonAsync("/v1.45/info");
        Assert.Equal("""{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive","ControlAvailable":false,"Error":"","RemoteManagers":null}""",
            info.RootElement.GetProperty("Swarm").GetRawText());
    }

    [Fact]
    public async Task InitAnswersTheNodeIdAndTheRoutesShowTheSwarm()
    {
        var init = await _host.PostJsonAsync("/v1.45/swarm/init", """{"ListenAddr":"0.0.0.0:2377","AdvertiseAddr":"10.0.0.5","SubnetSize":24,"Spec":{"Labels":null}}""");
        Assert.Equal(HttpStatusCode.OK, init.StatusCode);
        string id = JsonSerializer.Deserialize<string>(await init.Content.ReadAsStringAsync())!;
        Assert.Matches("^[0-9a-z]{25}$", id);
        Assert.Equal("active/manager", await PingSwarmAsync());

        var again = await _host.PostJsonAsync("/v1.45/swarm/init", """{"AdvertiseAddr":"10.0.0.5"}""");
        await AssertErrorAsync(again, HttpStatusCode.ServiceUnavailable, SwarmErrors.AlreadyInASwarm);

        using (var swarm = await GetJsonAsync("/v1.45/swarm"))
        {
            var root = swarm.RootElement;
            Assert.StartsWith("SWMTKN-1-", root.GetProperty("JoinTokens").GetProperty("Worker").GetString(), StringComparison.Ordinal);
            Assert.True(root.GetProperty("Version").GetProperty("Index").GetUInt64() > 0);
            Assert.Equal(7_776_000_000_000_000, root.GetProperty("Spec").GetProperty("CAConfig").GetProperty("NodeCertExpiry").GetInt64());
            Assert.Contains("BEGIN CERTIFICATE", root.GetProperty("TLSInfo").GetProperty("TrustRoot").GetString(), StringComparison.Ordinal);
            Assert.Equal("10.0.0.0/8", root.GetProperty("DefaultAddrPool")[0].GetString());
        }

        using (var node = await GetJsonAsync($"/v1.45/nodes/{id}"))
        {
            var root = node.RootElement;
            Assert.Equal("manager", root.GetProperty("Spec").GetProperty("Role").GetString());
            Assert.Equal("active", root.GetProperty("Spec").GetProperty("Availability").GetString());
            Assert.Equal("testhost", root.GetProperty("Description").GetProperty("Hostname").GetString());
            Assert.Equal("27.0.0-berth", root.GetProperty("Description").GetProperty("Engine").GetProperty("EngineVersion").GetString());
            Assert.Equal("10.0.0.5:2377", root.GetProperty("ManagerStatus").GetProperty("Addr").GetString());
            Assert.Equal("reachable", root.GetProperty("ManagerStatus").GetProperty("Reachability").GetString());
        }

        using (var info = await GetJsonAsync("/v1.45/info"))
        {
            var swarm = info.RootElement.GetProperty("Swarm");
            Assert.Equal((id, "10.0.0.5", "active", true, 1, 1), (swarm.GetProperty("NodeID").GetString(), swarm.GetProperty("NodeAddr").GetString(),
                swarm.GetProperty("LocalNodeState").GetString(), swarm.GetProperty("ControlAvailable").GetBoolean(), swarm.GetProperty("Nodes").GetInt32(), swarm.GetProperty("Managers").GetInt32()));
            Assert.Equal("10.0.0.5:2377", swarm.GetProperty("RemoteManagers")[0].GetProperty("Addr").GetString());
            Assert.Equal(24, swarm.GetProperty("Cluster").GetProperty("SubnetSize").GetInt32());
        }

        using var list = await GetJsonAsync("/v1.45/nodes");
        Assert.Equal(id, Assert.Single(list.RootElement.EnumerateArray()).GetProperty("ID").GetString());
    }

    [Fact]
    public async Task UpdatesNeedTheCurrentVersionAndLeaveGoesBackToInactive()
    {
        var init = await _host.PostJsonAsync("/v1.45/swarm/init", """{"AdvertiseAddr":"10.0.0.5"}""");
        string id = JsonSerializer.Deserialize<string>(await init.Content.ReadAsStringAsync())!;
        ulong version;
        using (var node = await GetJsonAsync($"/v1.45/nodes/{id}"))
        {
            version = node.RootElement.GetProperty("Version").GetProperty("Index").GetUInt64();
        }

        const string drain = """{"Role":"manager","Availability":"drain","Labels":{"zone":"a"}}""";
        await AssertErrorAsync(await _host.PostJsonAsync($"/v1.45/nodes/{id}/update?version={version - 1}", drain), HttpStatusCode.BadRequest, "update out of sequence");
        await AssertErrorAsync(await _host.PostJsonAsync($"/v1.45/nodes/{id}/update", drain), HttpStatusCode.BadRequest,
            "invalid swarm version '': strconv.ParseUint: parsing \"\": invalid syntax");
        Assert.Equal(HttpStatusCode.OK, (await _host.PostJsonAsync($"/v1.45/nodes/{id}/update?version={version}", drain)).StatusCode);
        using (var node = await GetJsonAsync($"/v1.45/nodes/{id[..6]}"))
        {
            Assert.Equal("drain", node.RootElement.GetProperty("Spec").GetProperty("Availability").GetString());
            Assert.Equal("a", node.RootElement.GetProperty("Spec").GetProperty("Labels").GetProperty("zone").GetString());
        }

        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/nodes/nosuchnode"), HttpStatusCode.NotFound, "node nosuchnode not found");

        string workerToken;
        ulong swarmVersion;
        using (var swarm = await GetJsonAsync("/v1.45/swarm"))
        {
            workerToken = swarm.RootElement.GetProperty("JoinTokens").GetProperty("Worker").GetString()!;
            swarmVersion = swarm.RootElement.GetProperty("Version").GetProperty("Index").GetUInt64();
        }

        const string spec = """{"Orchestration":{"TaskHistoryRetentionLimit":3},"CAConfig":{"NodeCertExpiry":86400000000000}}""";
        Assert.Equal(HttpStatusCode.OK, (await _host.PostJsonAsync($"/v1.45/swarm/update?version={swarmVersion}&rotateWorkerToken=true", spec)).StatusCode);
        using (var swarm = await GetJsonAsync("/v1.45/swarm"))
        {
            Assert.NotEqual(workerToken, swarm.RootElement.GetProperty("JoinTokens").GetProperty("Worker").GetString());
            Assert.Equal(3, swarm.RootElement.GetProperty("Spec").GetProperty("Orchestration").GetProperty("TaskHistoryRetentionLimit").GetInt32());
            Assert.Equal(86_400_000_000_000, swarm.RootElement.GetProperty("Spec").GetProperty("CAConfig").GetProperty("NodeCertExpiry").GetInt64());
        }

        await AssertErrorAsync(await _host.Client.PostAsync("/v1.45/swarm/leave", null), HttpStatusCode.ServiceUnavailable, SwarmErrors.LastManager);
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.PostAsync("/v1.45/swarm/leave?force=1", null)).StatusCode);
        Assert.Equal("inactive", await PingSwarmAsync());
    }

    [Fact]
    public async Task CaRotateShowsItsProgressAsTheCliReadsItAndEndsOnTheNewRoot()
    {
        var init = await _host.PostJsonAsync("/v1.45/swarm/init", """{"AdvertiseAddr":"10.0.0.5"}""");
        string id = JsonSerializer.Deserialize<string>(await init.Content.ReadAsStringAsync())!;
        (string trustRoot, string issuerKey, ulong version) = await ClusterTlsAsync();
        Assert.Contains("BEGIN CERTIFICATE", trustRoot, StringComparison.Ordinal);

        // The node reports its TLS (in its heartbeat): the same root and issuer as the cluster's, as `swarm ca --rotate` compares them.
        Assert.True(await PollAsync(async () => await NodeTlsAsync(id) == (trustRoot, issuerKey)));

        // --external-ca: a 400 naming the option; a --ca-cert without its key: a 400 naming the flags; nothing changes.
        var external = await _host.PostJsonAsync($"/v1.45/swarm/update?version={version}", """{"CAConfig":{"ExternalCAs":[{"Protocol":"cfssl","URL":"https://ca.example:8888"}]}}""");
        Assert.Equal(HttpStatusCode.BadRequest, external.StatusCode);
        Assert.Contains("--external-ca is not supported", await external.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        string certOnly = JsonSerializer.Serialize(new { CAConfig = new { SigningCACert = trustRoot } });
        var keyless = await _host.PostJsonAsync($"/v1.45/swarm/update?version={version}", certOnly);
        Assert.Equal(HttpStatusCode.BadRequest, keyless.StatusCode);
        Assert.Contains("--ca-key", await keyless.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await _host.PostJsonAsync($"/v1.45/swarm/update?version={version}", """{"CAConfig":{"ForceRotate":1}}""")).StatusCode);
        using (var swarm = await GetJsonAsync("/v1.45/swarm"))
        {
            var root = swarm.RootElement;
            Assert.True(root.GetProperty("RootRotationInProgress").GetBoolean());
            Assert.Equal(1, root.GetProperty("Spec").GetProperty("CAConfig").GetProperty("ForceRotate").GetInt32());
            Assert.Equal(trustRoot, root.GetProperty("TLSInfo").GetProperty("TrustRoot").GetString());
            Assert.NotEqual(issuerKey, root.GetProperty("TLSInfo").GetProperty("CertIssuerPublicKey").GetString());
            Assert.False(root.GetProperty("Spec").GetProperty("CAConfig").TryGetProperty("SigningCAKey", out _));
        }

        Assert.True(await PollAsync(async () => (await ClusterTlsAsync()).TrustRoot != trustRoot, TimeSpan.FromSeconds(40)));
        (string newRoot, string newIssuer, _) = await ClusterTlsAsync();
        Assert.True(await PollAsync(async () => await NodeTlsAsync(id) == (newRoot, newIssuer)));
        using (var swarm = await GetJsonAsync("/v1.45/swarm"))
        {
            Assert.False(swarm.RootElement.GetProperty("RootRotationInProgress").GetBoolean());
        }
    }

    private async Task<(string TrustRoot, string IssuerKey, ulong Version)> ClusterTlsAsync()
    {
        using var swarm = await GetJsonAsync("/v1.45/swarm");
        var tls = swarm.RootElement.GetProperty("TLSInfo");
        return (tls.GetProperty("TrustRoot").GetString()!, tls.GetProperty("CertIssuerPublicKey").GetString()!, swarm.RootElement.GetProperty("Version").GetProperty("Index").GetUInt64());
    }

    private async Task<(string? TrustRoot, string? IssuerKey)> NodeTlsAsync(string id)
    {
        using var node = await GetJsonAsync($"/v1.45/nodes/{id}");
        var tls = node.RootElement.GetProperty("Description").GetProperty("TLSInfo");
        return (tls.TryGetProperty("TrustRoot", out var root) ? root.GetString() : null,
            tls.TryGetProperty("CertIssuerPublicKey", out var key) ? key.GetString() : null);
    }

    private static async Task<bool> PollAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private async Task<string> PingSwarmAsync()
    {
        using var response = await _host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/_ping"));
        return Assert.Single(response.Headers.GetValues("Swarm"));
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await _host.Client.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal($"{{\"message\":{JsonSerializer.Serialize(message, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })}}}\n",
            await response.Content.ReadAsStringAsync());
    }
}
