using Berth.Fuzzing;

namespace Berth.Api.Tests;

/// <summary>
/// The API fuzzer's fixed-seed round against the real Kestrel host over a fake engine and a real image store: no
/// 5xx, every answer within two seconds, and the host still answers afterwards. A failure found here or in the
/// end-to-end round becomes a test beside the route's own tests.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ApiFuzzTests
{
    private const long FixedSeed = 20;

    /// <summary>BERTH_FUZZ_SEED replays another round (the seed a bench run printed) instead of CI's fixed one.</summary>
    private static long Seed => long.TryParse(Environment.GetEnvironmentVariable("BERTH_FUZZ_SEED"), out long seed) ? seed : FixedSeed;
    private const int Requests = 1500;

    [Fact]
    public async Task A_fixed_seed_round_of_hostile_requests_gets_no_5xx_and_no_hang()
    {
        await using var host = await ContainerApiHost.StartAsync();
        var round = await new ApiFuzzer(host.Client, ContainerApiHost.Image).RunAsync(Seed, Requests, DateTime.UtcNow.AddMinutes(3));

        Assert.Equal(Requests, round.Requests);
        Assert.True(round.SucceededByRoute.Count >= 15, "valid requests get through to many routes: " + string.Join(", ", round.SucceededByRoute.Keys));
        Assert.True(round.Failures.Count == 0, $"{round.Failures.Count} failures, e.g.:\n" + string.Join('\n', round.Failures.Take(15)));
        using var ping = await host.Client.GetAsync("/_ping");
        Assert.Equal("OK", await ping.Content.ReadAsStringAsync());
    }

    /// <summary>The fuzzer breaks valid bodies: if its starting shapes were refused, it would test validation only.</summary>
    [Theory]
    [InlineData(FuzzBody.ContainerCreate, "/v1.45/containers/create?name=fz0")]
    [InlineData(FuzzBody.NetworkCreate, "/v1.45/networks/create")]
    [InlineData(FuzzBody.VolumeCreate, "/v1.45/volumes/create")]
    public async Task The_fuzzers_valid_shapes_are_accepted(FuzzBody body, string path)
    {
        await using var host = await ContainerApiHost.StartAsync();
        using var response = await host.PostJsonAsync(path, FuzzShapes.Of(body, "fz0", ContainerApiHost.Image).ToJsonString());

        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
