using System.Net;
using System.Text.Json;
using Berth.Cluster.Swarm;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Api.Tests;

/// <summary>Defects the API fuzzer found (<see cref="ApiFuzzTests"/>, the end-to-end round), each answered as it should be now.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class FuzzRegressionTests
{
    [Theory]
    [InlineData(256)]
    [InlineData(1 << 20)]
    public async Task A_volume_name_longer_than_a_directory_name_can_be_is_refused_as_invalid(int length)
    {
        await using var api = await ContainerApiHost.StartAsync();
        using var response = await api.PostJsonAsync("/v1.45/volumes/create", $$"""{"Name":"{{new string('s', length)}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string message = json.RootElement.GetProperty("message").GetString()!;
        Assert.Contains($"volume name is {length} characters long", message, StringComparison.Ordinal);
        Assert.True(message.Length < 300, "the message repeats only the start of the name");
        Assert.False(Directory.Exists(api.Engine.Volumes.MountpointOf("ss")), "nothing made");
    }

    [Fact]
    public async Task A_volume_name_of_255_characters_is_still_made()
    {
        await using var api = await ContainerApiHost.StartAsync();
        using var response = await api.PostJsonAsync("/v1.45/volumes/create", $$"""{"Name":"{{new string('s', 255)}}"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"AdvertiseAddr":"10.0.0.5","Spec":null}""")]
    [InlineData("""{"AdvertiseAddr":"10.0.0.5","Spec":{"CAConfig":null,"Dispatcher":null,"Orchestration":null,"EncryptionConfig":null}}""")]
    public async Task A_swarm_spec_with_null_parts_reads_as_empty_ones_as_in_Go(string body)
    {
        string root = Path.Combine(Path.GetTempPath(), "berth-fuzz-swarm-" + Guid.NewGuid().ToString("N"));
        await using var swarm = new SwarmNode(SwarmPaths.Under(root), new SwarmHostFacts { Hostname = "testhost", EngineVersion = "27.0.0-berth", NanoCpus = 2_000_000_000 },
            new InMemoryClusterBackend(), joinListener: null, TimeProvider.System, NullLogger.Instance);
        try
        {
            await using var host = await TestApiHost.StartAsync(swarm: swarm);
            using var response = await host.PostJsonAsync("/v1.45/swarm/init", body);

            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("until=99999999999999999999")]
    [InlineData("since=253402300800")]
    [InlineData("until=-99999999h")]
    public async Task An_events_time_beyond_the_calendar_is_refused_as_invalid(string query)
    {
        await using var api = await ContainerApiHost.StartAsync();
        using var response = await api.Client.GetAsync("/v1.45/events?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("outside the years 1 to 9999", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
