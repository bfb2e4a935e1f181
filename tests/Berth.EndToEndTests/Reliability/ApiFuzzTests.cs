using Berth.EndToEndTests.Fixtures;
using Berth.Fuzzing;
using Berth.Linux.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Berth.EndToEndTests.Reliability;

/// <summary>
/// CI's fixed-seed fuzzing round against a lab berthd over its unix socket (docs/reliability.md): per request no
/// 5xx and an answer within two seconds; after the round, once the objects the fuzzer made are removed through
/// the API, the store's lists and the kernel (links, Berth's nft tables, netns) are as before, berthd's RSS grew by
/// less than <see cref="RssGrowthBoundMb"/> and /_ping answers.
/// </summary>
public sealed class ApiFuzzTests(ITestOutputHelper output) : DaemonTest
{
    private const long Seed = 20;
    private const int Requests = 1500;
    private static readonly TimeSpan RoundBudget = TimeSpan.FromMinutes(3);

    /// <summary>Generous against berthd's ~60 MB idle: a leak per request (1,500 of them, MB bodies among them) shows far above it.</summary>
    public const int RssGrowthBoundMb = 150;

    [RootFact]
    public async Task AFixedSeedRoundOfHostileRequestsLeavesBerthdAnsweringAndUnchanged()
    {
        var daemon = StartDaemon();
        BusyboxImage.Import(daemon, TestRoot);
        using var client = DaemonApi.Client(daemon);
        var storeBefore = await ApiSnapshot.TakeAsync(client);
        var kernelBefore = KernelSnapshot.Take(DockerHost.NetnsName, daemon.ExecRoot);
        long rssBefore = FuzzRss.OfKb(daemon.Pid);

        var round = await new ApiFuzzer(client, "bb:latest").RunAsync(Seed, Requests, DateTime.UtcNow + RoundBudget);
        long rssAfter = FuzzRss.OfKb(daemon.Pid);
        output.WriteLine("statuses: " + string.Join(", ", round.Statuses.Select(s => $"{s.Key}×{s.Value}")));
        output.WriteLine("succeeded: " + string.Join(", ", round.SucceededByRoute.Select(s => $"{s.Key}×{s.Value}")));
        output.WriteLine($"{round.Requests} requests, slowest {round.SlowestMs} ms ({round.Slowest}), RSS {rssBefore / 1024} -> {rssAfter / 1024} MB");

        Assert.True(daemon.Pings(), "berthd stopped answering /_ping after the round");
        Assert.Equal(Requests, round.Requests);
        Assert.True(round.Failures.Count == 0, $"{round.Failures.Count} failures, e.g.:\n" + string.Join('\n', round.Failures.Take(15)));

        var madeOnPurpose = (await ApiSnapshot.TakeAsync(client)).Since(storeBefore);
        output.WriteLine($"made by valid requests: {string.Join(", ", madeOnPurpose)}");
        var stuck = await (await ApiSnapshot.TakeAsync(client)).RemoveSinceAsync(client, storeBefore);
        Assert.Empty(stuck);
        Assert.Equal(storeBefore.Objects, (await ApiSnapshot.TakeAsync(client)).Objects);
        Assert.True(Poll.Until(() => KernelSnapshot.Take(DockerHost.NetnsName, daemon.ExecRoot).Differences(kernelBefore).Count == 0, TimeSpan.FromSeconds(10)),
            "the kernel differs: " + string.Join("; ", KernelSnapshot.Take(DockerHost.NetnsName, daemon.ExecRoot).Differences(kernelBefore)));
        Assert.True((rssAfter - rssBefore) / 1024 < RssGrowthBoundMb, $"berthd's RSS grew {(rssAfter - rssBefore) / 1024} MB in the round");
    }
}
