using System.Globalization;
using System.Text.RegularExpressions;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// The engine serialises work per container, not globally: starts of different containers overlap in
/// time (read from berthd's own start timings, event 5301), while concurrent starts of one container
/// run one after the other (exactly one start; the others find it running, Docker's 304).
/// </summary>
public sealed partial class ParallelStartTests : DaemonTest
{
    private const int Containers = 6;

    [RootFact]
    public void StartsOfDifferentContainersOverlapAndStartsOfOneDoNot()
    {
        using var daemon = StartDaemon("--log-level", "debug");
        BusyboxImage.Import(daemon, TestRoot);
        var ids = Enumerable.Range(0, Containers)
            .Select(i => daemon.DockerChecked("create", "--name", $"p{i}", "bb:latest", "sleep", "300").Output.Trim())
            .ToList();

        var starts = ids.Select(id => Task.Run(() => daemon.Docker("start", id))).ToArray();
        Task.WaitAll(starts, TimeSpan.FromSeconds(60));
        Assert.All(starts, s => Assert.True(s.Result.Succeeded, s.Result.ToString()));

        var intervals = StartIntervals(daemon.Log);
        Assert.Equal(Containers, intervals.Count);
        bool overlap = intervals.Any(a => intervals.Any(b => a.Id != b.Id && a.From < b.To && b.From < a.To));
        Assert.True(overlap, "no two starts of different containers overlapped: the engine serialised them\n"
            + string.Join('\n', intervals.Select(i => $"{i.Id} {i.From:HH:mm:ss.fff} → {i.To:HH:mm:ss.fff}")));

        // One container started from several clients at once: one start, never two runc creates of it.
        string single = daemon.DockerChecked("create", "--name", "single", "bb:latest", "sleep", "300").Output.Trim();
        var same = Enumerable.Range(0, 4).Select(_ => Task.Run(() => daemon.Docker("start", single))).ToArray();
        Task.WaitAll(same, TimeSpan.FromSeconds(60));
        Assert.All(same, s => Assert.True(s.Result.Succeeded, s.Result.ToString()));
        Assert.Single(StartIntervals(daemon.Log), i => i.Id == single[..12]);
        Assert.Equal("running", daemon.DockerChecked("inspect", "-f", "{{.State.Status}}", "single").Output.Trim());

        daemon.DockerChecked(["rm", "-f", "single", .. ids]);
    }

    private static List<(string Id, DateTimeOffset From, DateTimeOffset To)> StartIntervals(string log) =>
        [.. log.Split('\n')
            .Select(line => StartTiming().Match(line))
            .Where(m => m.Success)
            .Select(m =>
            {
                var end = DateTimeOffset.Parse(m.Groups["at"].Value, CultureInfo.InvariantCulture);
                var took = TimeSpan.FromMilliseconds(double.Parse(m.Groups["ms"].Value, CultureInfo.InvariantCulture));
                return (m.Groups["id"].Value, end - took, end);
            })];

    [GeneratedRegex(@"^(?<at>\S+) \S+: \S+\[5301\] container (?<id>[0-9a-f]+) started in (?<ms>[0-9.]+) ms")]
    private static partial Regex StartTiming();
}
