using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Cluster.Identity;
using Berth.Cluster.Services;
using Berth.Cluster.Swarm;
using static Berth.Api.Tests.ApiAssert;

namespace Berth.Api.Tests.Services;

/// <summary>
/// <c>/services</c> and <c>/tasks</c> over a <see cref="FakeServices"/>: the exact JSON the docker CLI reads
/// (<c>service ls</c>, <c>service ps</c>, the create/update wait loop), both filter encodings, Docker's statuses.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ServiceRouteTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Created = DateTimeOffset.Parse("2026-12-06T05:00:00.1234567Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly DateTimeOffset Updated = Created.AddMinutes(1);
    private static readonly NodeId Node = NodeId.New();
    private const string IngressId = "4k9ps1x0gm3n2b7c8d5e6f1a2";
    private const string NetworkId = "7q2w3e4r5t6y7u8i9o0p1a2s3";

    private readonly FakeServices _services = new();
    private readonly ServiceView _web = View(Replicated("web", 3, ("tier", "front")), version: 42, running: 2, desired: 3);
    private readonly ServiceView _worker = View(Global("worker"), version: 9, running: 1, desired: 1);
    private TestApiHost _host = null!;

    public async Task InitializeAsync()
    {
        _services.Services.AddRange([_web, _worker]);
        _host = await TestApiHost.StartAsync(services: _services);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CreateAnswers201WithTheIdAndHandsTheSpecOver()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1.45/services/create")
        {
            Content = new StringContent("""{"Name":"api","TaskTemplate":{"ContainerSpec":{"Image":"nginx"}},"Mode":{"Replicated":{"Replicas":2}}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Registry-Auth", "eyJ1c2VybmFtZSI6InUifQ==");
        using var response = await _host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Matches("^[0-9a-z]{25}$", body.RootElement.GetProperty("ID").GetString());
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("Warnings").ValueKind);
        Assert.Equal(("api", ServiceMode.Replicated(2), "nginx"), (_services.Created!.Name, _services.Created.Mode, _services.Created.Task.Container.Image));
        Assert.Equal("eyJ1c2VybmFtZSI6InUifQ==", _services.CreatedAuth!.Encoded);

        // A header that is not Docker's AuthConfig is refused before anything is created.
        using var badAuth = new HttpRequestMessage(HttpMethod.Post, "/v1.45/services/create")
        {
            Content = new StringContent("""{"Name":"other","TaskTemplate":{"ContainerSpec":{"Image":"nginx"}}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        badAuth.Headers.Add("X-Registry-Auth", "%%%");
        await AssertErrorAsync(await _host.Client.SendAsync(badAuth), HttpStatusCode.BadRequest, "the X-Registry-Auth header is not base64url-encoded JSON (Docker's AuthConfig)");
        Assert.Equal("api", _services.Created.Name);

        Assert.Equal(HttpStatusCode.Created, (await _host.PostJsonAsync("/v1.45/services/create", """{"TaskTemplate":{"ContainerSpec":{"Image":"nginx"}}}""")).StatusCode);
        Assert.Matches("^[a-z]+_[a-z]+$", _services.Created.Name);

        await AssertErrorAsync(await _host.PostJsonAsync("/v1.45/services/create", """{"Name":"web","TaskTemplate":{"ContainerSpec":{"Image":"nginx"}}}"""),
            HttpStatusCode.Conflict, "rpc error: code = AlreadyExists desc = name conflicts with an existing object: service web already exists");
        await AssertErrorAsync(await _host.PostJsonAsync("/v1.45/services/create", """{"Name":"x","TaskTemplate":{"ContainerSpec":{}}}"""),
            HttpStatusCode.BadRequest, "ContainerSpec: image reference must be provided");
        var malformed = await _host.PostJsonAsync("/v1.45/services/create", """{"Name":""");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }

    [Fact]
    public async Task InspectShowsTheServiceAsDockerDoes()
    {
        string expected = """
            {"ID":"SERVICE","Version":{"Index":42},"CreatedAt":"2026-12-06T05:00:00.1234567Z","UpdatedAt":"2026-12-06T05:01:00.1234567Z",
             "Spec":{"Name":"web","Labels":{"tier":"front"},
               "TaskTemplate":{"ContainerSpec":{"Image":"nginx:1.27","DNSConfig":{},"Isolation":"default"},"Resources":{"Limits":{},"Reservations":{}},"Placement":{},"ForceUpdate":0,"Runtime":"container"},
               "Mode":{"Replicated":{"Replicas":3}},
               "UpdateConfig":{"Parallelism":1,"FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,"Order":"stop-first"},
               "EndpointSpec":{"Mode":"vip","Ports":[{"Protocol":"tcp","TargetPort":80,"PublishMode":"ingress"}]}},
             "Endpoint":{"Spec":{"Mode":"vip","Ports":[{"Protocol":"tcp","TargetPort":80,"PublishMode":"ingress"}]},
               "Ports":[{"Protocol":"tcp","TargetPort":80,"PublishedPort":30000,"PublishMode":"ingress"}],
               "VirtualIPs":[{"NetworkID":"INGRESS","Addr":"10.0.0.5/24"}]},
             "UpdateStatus":{"State":"completed","StartedAt":"2026-12-06T05:01:00.1234567Z","CompletedAt":"2026-12-06T05:01:00.1234567Z","Message":"update completed"}}
            """.Replace("SERVICE", _web.Record.Id.Value, StringComparison.Ordinal).Replace("INGRESS", IngressId, StringComparison.Ordinal);
        AssertJsonEqual(expected, await GetAsync($"/v1.45/services/{_web.Record.Id.Value}"));
        AssertJsonEqual(expected, await GetAsync("/v1.45/services/web?insertDefaults=false"));

        JsonNode withDefaults = JsonNode.Parse(await GetAsync("/v1.45/services/web?insertDefaults=true"))!;
        Assert.Equal(10_000_000_000, (long)withDefaults["Spec"]!["TaskTemplate"]!["ContainerSpec"]!["StopGracePeriod"]!);
        Assert.Equal("stop-first", (string?)withDefaults["Spec"]!["RollbackConfig"]!["Order"]);
        Assert.Null(withDefaults["ServiceStatus"]);

        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/services/web?insertDefaults=yes"), HttpStatusCode.BadRequest,
            "invalid value for insertDefaults: yes: strconv.ParseBool: parsing \"yes\": invalid syntax");
        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/services/nosuch"), HttpStatusCode.NotFound, "service nosuch not found");
    }

    [Fact]
    public async Task ListFiltersAndShowsStatusWhenAsked()
    {
        JsonArray all = JsonNode.Parse(await GetAsync("/v1.45/services"))!.AsArray();
        Assert.Equal(["web", "worker"], all.Select(service => (string?)service!["Spec"]!["Name"]));
        Assert.All(all, service => Assert.Null(service!["ServiceStatus"]));
        Assert.Equal("""{"Global":{}}""", all[1]!["Spec"]!["Mode"]!.ToJsonString());

        JsonArray withStatus = JsonNode.Parse(await GetAsync("/v1.45/services?status=true"))!.AsArray();
        Assert.Equal("""{"RunningTasks":2,"DesiredTasks":3,"CompletedTasks":0}""", withStatus[0]!["ServiceStatus"]!.ToJsonString());
        Assert.Null(JsonNode.Parse(await GetAsync("/v1.40/services?status=true"))![0]!["ServiceStatus"]);

        Assert.Equal(["web"], await NamesAsync("""{"name":{"we":true}}"""));
        Assert.Equal(["worker"], await NamesAsync("""{"mode":["global"]}"""));
        Assert.Equal(["worker"], await NamesAsync($$"""{"id":["{{_worker.Record.Id.Value[..8]}}"]}"""));
        Assert.Equal(["web"], await NamesAsync("""{"label":{"tier=front":true}}"""));
        Assert.Equal(["web", "worker"], await NamesAsync("""{"runtime":["container"]}"""));
        Assert.Empty(await NamesAsync("""{"runtime":["plugin"]}"""));
        Assert.Empty(await NamesAsync("""{"name":["web"],"mode":["global"]}"""));

        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/services?filters=" + Uri.EscapeDataString("""{"color":["red"]}""")), HttpStatusCode.BadRequest, "invalid filter 'color'");
        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/services?status=maybe"), HttpStatusCode.BadRequest,
            "invalid value for status: maybe: strconv.ParseBool: parsing \"maybe\": invalid syntax");
    }

    [Fact]
    public async Task UpdateNeedsTheCurrentVersion()
    {
        const string Scaled = """{"Name":"web","TaskTemplate":{"ContainerSpec":{"Image":"nginx:1.27"}},"Mode":{"Replicated":{"Replicas":5}}}""";
        await AssertErrorAsync(await _host.PostJsonAsync("/v1.45/services/web/update", Scaled), HttpStatusCode.BadRequest,
            "invalid service version '': strconv.ParseUint: parsing \"\": invalid syntax");
        await AssertErrorAsync(await _host.PostJsonAsync("/v1.45/services/web/update?version=x1", Scaled), HttpStatusCode.BadRequest,
            "invalid service version 'x1': strconv.ParseUint: parsing \"x1\": invalid syntax");
        await AssertErrorAsync(await _host.PostJsonAsync("/v1.45/services/web/update?version=41", Scaled), HttpStatusCode.BadRequest, "update out of sequence");
        await AssertErrorAsync(await _host.PostJsonAsync("/v1.45/services/web/update?version=42&registryAuthFrom=elsewhere", Scaled), HttpStatusCode.BadRequest,
            "invalid registryAuthFrom 'elsewhere'");
        await AssertErrorAsync(await _host.PostJsonAsync("/v1.45/services/web/update?version=42&rollback=later", Scaled), HttpStatusCode.BadRequest,
            "unrecognized rollback option later: give rollback=previous, or leave it out");
        Assert.Null(_services.Updated);

        var updated = await _host.PostJsonAsync("/v1.45/services/web/update?version=42&registryAuthFrom=spec", Scaled);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("""{"Warnings":["image nginx could not be accessed on a registry to record its digest"]}""" + "\n", await updated.Content.ReadAsStringAsync());
        Assert.Equal(("web", 42L, false), (_services.Updated!.Value.Id, _services.Updated.Value.Version, _services.Updated.Value.Rollback));
        Assert.Equal(ServiceMode.Replicated(5), _services.Updated.Value.Spec!.Mode);
        Assert.Equal(new RegistryAuthUpdate(null), _services.UpdatedAuth);
        Assert.Equal(HttpStatusCode.OK, (await _host.PostJsonAsync("/v1.45/services/web/update?version=42&registryAuthFrom=previous-spec", Scaled)).StatusCode);
        Assert.Equal(new RegistryAuthUpdate(null, FromPreviousSpec: true), _services.UpdatedAuth);

        Assert.Equal(HttpStatusCode.OK, (await _host.PostJsonAsync($"/v1.45/services/{_web.Record.Id.Value}/update?version=42&rollback=previous", Scaled)).StatusCode);
        Assert.Equal((null, true), (_services.Updated.Value.Spec, _services.Updated.Value.Rollback));
    }

    [Fact]
    public async Task RemoveAnswers200WithNoBody()
    {
        using var removed = await _host.Client.DeleteAsync("/v1.45/services/web");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal("", await removed.Content.ReadAsStringAsync());
        Assert.Equal(_web.Record.Id.Value, _services.Removed);
        await AssertErrorAsync(await _host.Client.DeleteAsync("/v1.45/services/nosuch"), HttpStatusCode.NotFound, "service nosuch not found");
    }

    /// <summary>What <c>service ps</c> and the wait loop read: Slot, DesiredState, Status.State, Spec.ContainerSpec, Version.Index — and no Name.</summary>
    [Fact]
    public async Task TasksShowWhatServicePsReads()
    {
        TaskView running = RunningTask(_web, slot: 2);
        TaskView pending = PendingTask(_web, slot: 3);
        _services.Tasks.AddRange([running, pending]);

        string expectedRunning = """
            {"ID":"TASK","Version":{"Index":7},"CreatedAt":"2026-12-06T05:00:00.1234567Z","UpdatedAt":"2026-12-06T05:01:00.1234567Z","Labels":{},
             "Spec":{"ContainerSpec":{"Image":"nginx:1.27","DNSConfig":{},"Isolation":"default"},"Resources":{"Limits":{},"Reservations":{}},"Placement":{},"ForceUpdate":0},
             "ServiceID":"SERVICE","Slot":2,"NodeID":"NODE",
             "Status":{"Timestamp":"2026-12-06T05:01:00.1234567Z","State":"running","Message":"started",
               "ContainerStatus":{"ContainerID":"0123456789abcdef","PID":4242,"ExitCode":0},"PortStatus":{}},
             "DesiredState":"running",
             "NetworksAttachments":[{"Network":{"ID":"NETWORK"},"Addresses":["10.0.1.7/24"]}]}
            """.Replace("TASK", running.Record.Id.Value, StringComparison.Ordinal).Replace("SERVICE", _web.Record.Id.Value, StringComparison.Ordinal)
            .Replace("NODE", Node.Value, StringComparison.Ordinal).Replace("NETWORK", NetworkId, StringComparison.Ordinal);
        string expectedPending = """
            {"ID":"TASK","Version":{"Index":8},"CreatedAt":"2026-12-06T05:00:00.1234567Z","UpdatedAt":"2026-12-06T05:01:00.1234567Z","Labels":{},
             "Spec":{"ContainerSpec":{"Image":"nginx:1.27","DNSConfig":{},"Isolation":"default"},"Resources":{"Limits":{},"Reservations":{}},"Placement":{},"ForceUpdate":0},
             "ServiceID":"SERVICE","Slot":3,
             "Status":{"Timestamp":"2026-12-06T05:01:00.1234567Z","State":"pending","Message":"pending task scheduling","Err":"no suitable node (1 node not available for new tasks)","PortStatus":{}},
             "DesiredState":"running"}
            """.Replace("TASK", pending.Record.Id.Value, StringComparison.Ordinal).Replace("SERVICE", _web.Record.Id.Value, StringComparison.Ordinal);

        // The CLI's wait loop: Go's map form, the hidden _up-to-date filter.
        string waitLoop = await GetAsync("/v1.45/tasks?filters=" + Uri.EscapeDataString($$$"""{"_up-to-date":{"true":true},"service":{"{{{_web.Record.Id.Value}}}":true}}"""));
        AssertJsonEqual($"[{expectedRunning},{expectedPending}]", waitLoop);
        Assert.Equal([_web.Record.Id.Value], _services.LastTaskFilter!.Services);
        Assert.True(_services.LastTaskFilter.UpToDateOnly);

        AssertJsonEqual(expectedRunning, await GetAsync($"/v1.45/tasks/{running.Record.Id.Value}"));

        // The leader's orphaned wins over the last report of a node that went down: its message and time with it.
        _services.Tasks[0] = running with { Record = running.Record with { State = TaskState.Orphaned, Message = "task orphaned: its node is down" } };
        JsonNode orphaned = JsonNode.Parse(await GetAsync($"/v1.45/tasks/{running.Record.Id.Value}"))!;
        Assert.Equal("""{"Timestamp":"2026-12-06T05:01:00.1234567Z","State":"orphaned","Message":"task orphaned: its node is down","ContainerStatus":{"ContainerID":"0123456789abcdef","PID":4242,"ExitCode":0},"PortStatus":{}}""",
            orphaned["Status"]!.ToJsonString());
        AssertJsonEqual(expectedPending, await GetAsync($"/v1.45/tasks/{pending.Record.Id.Value[..10]}"));
        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/tasks/nosuch"), HttpStatusCode.NotFound, "task nosuch not found");
    }

    [Fact]
    public async Task TaskFiltersReachTheServicesInBothEncodings()
    {
        await GetAsync("/v1.45/tasks?filters=" + Uri.EscapeDataString(
            """{"service":["web"],"node":["n1"],"id":["ab"],"name":["web.1"],"label":["a=b"],"desired-state":["Running","shutdown"],"runtime":["container"]}"""));
        TaskFilter filter = _services.LastTaskFilter!;
        Assert.Equal("web|n1|ab|web.1|a=b|running,shutdown|False", string.Join('|',
            string.Join(',', filter.Services), string.Join(',', filter.Nodes), string.Join(',', filter.Ids), string.Join(',', filter.Names),
            string.Join(',', filter.Labels), string.Join(',', filter.DesiredStates), filter.UpToDateOnly));

        await GetAsync("/v1.45/tasks");
        Assert.Equal(new TaskFilter().UpToDateOnly, _services.LastTaskFilter!.UpToDateOnly);
        Assert.Empty(_services.LastTaskFilter.Services);

        Assert.Equal("[]\n", await GetAsync("/v1.45/tasks?filters=" + Uri.EscapeDataString("""{"runtime":["plugin"]}""")));
        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/tasks?filters=" + Uri.EscapeDataString("""{"desired-state":["sleeping"]}""")),
            HttpStatusCode.BadRequest, "Invalid desired-state filter: 'sleeping'");
        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/tasks?filters=" + Uri.EscapeDataString("""{"slot":["1"]}""")),
            HttpStatusCode.BadRequest, "invalid filter 'slot'");
    }

    [Fact]
    public async Task OffAManagerEveryRouteIsDockers503AndLogsStayUnserved()
    {
        _services.Failure = SwarmErrors.NotManager();
        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/services"), HttpStatusCode.ServiceUnavailable, SwarmErrors.NotAManager);
        await AssertErrorAsync(await _host.PostJsonAsync("/v1.45/services/create", """{"Name":"a","TaskTemplate":{"ContainerSpec":{"Image":"nginx"}}}"""),
            HttpStatusCode.ServiceUnavailable, SwarmErrors.NotAManager);
        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/tasks"), HttpStatusCode.ServiceUnavailable, SwarmErrors.NotAManager);
        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/tasks/abc"), HttpStatusCode.ServiceUnavailable, SwarmErrors.NotAManager);

        _services.Failure = null;
        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/services/web/logs?stdout=1"), HttpStatusCode.ServiceUnavailable, SwarmErrors.NotAManager);
        await AssertErrorAsync(await _host.Client.GetAsync("/v1.45/tasks/abc/logs?stdout=1"), HttpStatusCode.ServiceUnavailable, SwarmErrors.NotAManager);
    }

    private static ServiceSpec Replicated(string name, ulong replicas, params (string Key, string Value)[] labels) => new()
    {
        Name = name,
        Labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, labels.Select(label => KeyValuePair.Create(label.Key, label.Value))),
        Task = new TaskSpec { Container = new ContainerTaskSpec { Image = "nginx:1.27" } },
        Mode = ServiceMode.Replicated(replicas),
        Update = UpdatePolicy.Default,
        Endpoint = new ServiceEndpointSpec { Ports = [new ServicePort(PortProtocol.Tcp, 80)] },
    };

    private static ServiceSpec Global(string name) => new()
    {
        Name = name,
        Task = new TaskSpec { Container = new ContainerTaskSpec { Image = "busybox" } },
        Mode = ServiceMode.Global,
    };

    private static ServiceView View(ServiceSpec spec, long version, int running, int desired) => new(
        new ServiceRecord
        {
            Id = ServiceId.New(),
            CreatedAt = Created,
            UpdatedAt = Updated,
            Spec = spec,
            Ports = [.. spec.Endpoint.Ports.Select(port => port with { PublishedPort = 30000 })],
            VirtualIps = spec.Endpoint.Ports.IsEmpty ? [] : [new ServiceVirtualIp(IngressId, "10.0.0.5/24")],
            UpdateStatus = spec.Endpoint.Ports.IsEmpty ? null : new ServiceUpdateStatus(ServiceUpdateState.Completed, Updated) { CompletedAt = Updated, Message = "update completed" },
        },
        version, running, desired, 0);

    private static TaskRecord Task(ServiceView service, int slot) => new()
    {
        Id = TaskId.New(),
        ServiceId = service.Record.Id,
        Slot = slot,
        DesiredState = TaskState.Running,
        SpecVersion = 1,
        Spec = service.Record.Spec.Task,
        CreatedAt = Created,
        UpdatedAt = Updated,
    };

    private static TaskView RunningTask(ServiceView service, int slot)
    {
        TaskRecord record = Task(service, slot) with { Node = Node, State = TaskState.Assigned };
        return new TaskView(record, 7, new TaskRunStatus
        {
            Task = record.Id,
            Node = Node,
            State = TaskState.Running,
            Timestamp = Updated,
            Message = "started",
            ContainerId = "0123456789abcdef",
            Pid = 4242,
            Addresses = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(NetworkId, "10.0.1.7/24")]),
        }, service.Record.Spec.Name);
    }

    private static TaskView PendingTask(ServiceView service, int slot) =>
        new(Task(service, slot) with { State = TaskState.Pending, Message = "no suitable node (1 node not available for new tasks)" }, 8, null, service.Record.Spec.Name);

    private async Task<string[]> NamesAsync(string filters)
    {
        JsonArray listed = JsonNode.Parse(await GetAsync("/v1.45/services?filters=" + Uri.EscapeDataString(filters)))!.AsArray();
        return [.. listed.Select(service => (string)service!["Spec"]!["Name"]!)];
    }

    private Task<string> GetAsync(string path) => ApiAssert.GetOkAsync(_host.Client, path);
}
