using System.Collections.Immutable;
using System.Text.Json;
using Berth.Api.Endpoints;
using Berth.Api.Events;
using Berth.Api.Http;
using Berth.Core.Errors;
using Berth.Runtime.Engine;

namespace Berth.Api.Tests;

/// <summary><c>GET /events</c>: filters as moby applies them, in both encodings, and the JSON of one event.</summary>
public sealed class EventFilterTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeMilliseconds(1_764_291_600_123).AddTicks(4567);

    private static readonly EngineEvent[] Events =
    [
        Container("create", "aaaa1111", "dc_web_1", ("com.docker.compose.project", "dc"), ("com.docker.compose.oneoff", "False")),
        Container("die", "aaaa1111", "dc_web_1", ("com.docker.compose.project", "dc"), ("com.docker.compose.oneoff", "False"), ("exitCode", "0")),
        Container("start", "bbbb2222", "dc_web_run_1", ("com.docker.compose.project", "dc"), ("com.docker.compose.oneoff", "True")),
        Container("health_status: healthy", "cccc3333", "db", ("com.docker.compose.project", "other")),
        new("network", "create", "nnnn4444", Attributes(("name", "dc_front"), ("type", "bridge")), Time),
    ];

    [Theory]
    [InlineData("", "create:dc_web_1 die:dc_web_1 start:dc_web_run_1 health_status: healthy:db create:dc_front")]
    [InlineData("""{"label": ["com.docker.compose.project=dc", "com.docker.compose.oneoff=False"]}""", "create:dc_web_1 die:dc_web_1")]
    [InlineData("""{"label":{"com.docker.compose.project=dc":true}}""", "create:dc_web_1 die:dc_web_1 start:dc_web_run_1")]
    [InlineData("""{"label":["com.docker.compose.project"]}""", "create:dc_web_1 die:dc_web_1 start:dc_web_run_1 health_status: healthy:db")]
    [InlineData("""{"type":["network"]}""", "create:dc_front")]
    [InlineData("""{"event":["create"]}""", "create:dc_web_1 create:dc_front")]
    [InlineData("""{"event":["create","die"],"type":["container"]}""", "create:dc_web_1 die:dc_web_1")]
    [InlineData("""{"event":["health_status"]}""", "health_status: healthy:db")]
    [InlineData("""{"event":["health_stat"]}""", "")]
    [InlineData("""{"container":["dc_web"]}""", "create:dc_web_1 die:dc_web_1 start:dc_web_run_1")]
    [InlineData("""{"container":["bbbb"]}""", "start:dc_web_run_1")]
    [InlineData("""{"network":["dc_front"]}""", "create:dc_front")]
    [InlineData("""{"image":["nginx"]}""", "create:dc_web_1 die:dc_web_1 start:dc_web_run_1 health_status: healthy:db")]
    [InlineData("""{"image":["nginx:alpine"]}""", "create:dc_web_1 die:dc_web_1 start:dc_web_run_1 health_status: healthy:db")]
    [InlineData("""{"image":["nginx:latest"]}""", "")]
    [InlineData("""{"scope":["local"]}""", "create:dc_web_1 die:dc_web_1 start:dc_web_run_1 health_status: healthy:db create:dc_front")]
    [InlineData("""{"scope":["swarm"]}""", "")]
    public void Filters_select_as_moby_does(string filters, string expected)
    {
        var filter = EventFilter.Create(FilterArgs.Parse(filters));
        Assert.Equal(expected, string.Join(' ', Events.Where(filter.Matches).Select(e => e.Action + ":" + e.Attributes["name"])));
    }

    [Fact]
    public void An_unknown_filter_is_a_bad_request()
    {
        var e = Assert.Throws<BerthException>(() => EventFilter.Create(FilterArgs.Parse("""{"colour":["red"]}""")));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("invalid filter 'colour'", e.Message);
    }

    [Fact]
    public void A_container_event_carries_the_legacy_fields_and_sorted_attributes()
    {
        string json = JsonSerializer.Serialize(EventEndpoints.ToMessage(Events[1]), DockerJson.Context.EventMessage);
        Assert.Equal(
            """{"status":"die","id":"aaaa1111","from":"nginx:alpine","Type":"container","Action":"die","Actor":{"ID":"aaaa1111","Attributes":{"com.docker.compose.oneoff":"False","com.docker.compose.project":"dc","exitCode":"0","image":"nginx:alpine","name":"dc_web_1"}},"scope":"local","time":1764291600,"timeNano":1764291600123456700}""",
            json);
    }

    [Fact]
    public void A_network_event_has_no_legacy_fields()
    {
        string json = JsonSerializer.Serialize(EventEndpoints.ToMessage(Events[4]), DockerJson.Context.EventMessage);
        Assert.Equal(
            """{"Type":"network","Action":"create","Actor":{"ID":"nnnn4444","Attributes":{"name":"dc_front","type":"bridge"}},"scope":"local","time":1764291600,"timeNano":1764291600123456700}""",
            json);
    }

    [Fact]
    public void Docker_py_nulls_in_numbers_and_booleans_read_as_zero()
    {
        var request = JsonSerializer.Deserialize(
            """{"Image":"bb:latest","Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":1000000000,"Timeout":null,"Retries":null,"StartPeriod":null},"HostConfig":{"AutoRemove":null,"Privileged":null,"PublishAllPorts":null,"VolumesFrom":[],"LogConfig":{"Type":"","Config":{}}}}""",
            DockerJson.Context.ContainerCreateRequest)!;
        Assert.Equal(1_000_000_000, request.Healthcheck!.Interval);
        Assert.Equal(0, request.Healthcheck.Timeout);
        Assert.Equal(0, request.Healthcheck.Retries);
        Assert.False(request.HostConfig!.AutoRemove);
        Assert.Equal("", request.HostConfig.LogConfig!.Type);
    }

    [Fact]
    public void A_bare_zero_is_the_epoch_not_a_zero_duration()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(DateTimeOffset.UnixEpoch, GoTimestamp.Parse("0", now));
        Assert.Equal(now - TimeSpan.FromMinutes(10), GoTimestamp.Parse("10m", now));
    }

    private static EngineEvent Container(string action, string id, string name, params (string Key, string Value)[] extra) =>
        new("container", action, id, Attributes([("image", "nginx:alpine"), ("name", name), .. extra]), Time);

    private static ImmutableSortedDictionary<string, string> Attributes(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
