using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;

namespace Berth.EndToEndTests.Containers;

/// <summary>
/// The engine serialises work per container, not globally: starts of different containers overlap in
/// time (read from berthd's own start timings, event 5301), while concurrent starts of one container
/// run one after the other (exactly one start; the others find it running, Docker's 304).
/// </summary>
/// <remarks>
/// A start takes ~0.1 s, shorter than the spread of client processes on a loaded 2-core machine, so a test that
/// hoped for overlap could see none without any serialisation. Here the runtime is runc behind a wrapper that holds
/// every <c>create</c> for <see cref="CreateDelay"/>, registered with <c>--add-runtime</c>, and the starts are sent
/// at once over the API: if the engine ran them one by one, no two of them could overlap.
/// </remarks>
public sealed partial class ParallelStartTests : DaemonTest
{
    private const int Containers = 6;
    private const string CreateDelay = "1.5";

    [RootFact]
    public async Task StartsOfDifferentContainersOverlapAndStartsOfOneDoNot()
    {
        BuildLab();
        string runtime = WriteSlowRuntime();
        using var daemon = StartDaemon("--log-level", "debug", "--add-runtime", "slow=" + runtime, "--default-runtime", "slow");
        BusyboxImage.Import(daemon, TestRoot);
        var ids = Enumerable.Range(0, Containers)
            .Select(i => daemon.DockerChecked("create", "--name", $"p{i}", "bb:latest", "sleep", "300").Output.Trim())
            .ToList();
        using var api = DaemonApi.Client(daemon);

        var statuses = await StartAllAtOnce(api, ids);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.NoContent, s));
        var intervals = StartIntervals(daemon.Log);
        Assert.Equal(Containers, intervals.Count);
        bool overlap = intervals.Any(a => intervals.Any(b => a.Id != b.Id && a.From < b.To && b.From < a.To));
        Assert.True(overlap, "no two starts of different containers overlapped: the engine serialised them\n"
            + string.Join('\n', intervals.Select(i => $"{i.Id} {i.From:HH:mm:ss.fff} → {i.To:HH:mm:ss.fff}")));

        // One container started by several clients at once: one start (204), never two runc creates of it;
        // the others wait for it and find the container running (304).
        string single = daemon.DockerChecked("create", "--name", "single", "bb:latest", "sleep", "300").Output.Trim();
        var same = await StartAllAtOnce(api, [.. Enumerable.Repeat(single, 4)]);
        Assert.Single(same, s => s == HttpStatusCode.NoContent);
        Assert.Equal(3, same.Count(s => s == HttpStatusCode.NotModified));
        // berthd's log reaches the test through a pipe: its line may come a moment after the 204.
        Poll.Until(() => StartIntervals(daemon.Log).Any(i => i.Id == single[..12]), TimeSpan.FromSeconds(5));
        Assert.Single(StartIntervals(daemon.Log), i => i.Id == single[..12]);
        Assert.Equal("running", daemon.DockerChecked("inspect", "-f", "{{.State.Status}}", "single").Output.Trim());

        daemon.DockerChecked(["rm", "-f", "single", .. ids]);
    }

    /// <summary>Connections are opened first, then every start is sent when all are ready.</summary>
    private static async Task<HttpStatusCode[]> StartAllAtOnce(HttpClient api, IReadOnlyList<string> ids)
    {
        using var ready = new CountdownEvent(ids.Count);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var starts = ids.Select(async id =>
        {
            (await api.GetAsync("/_ping")).EnsureSuccessStatusCode();
            ready.Signal();
            await go.Task;
            using var response = await api.PostAsync($"/containers/{id}/start", content: null);
            return response.StatusCode;
        }).ToArray();
        Assert.True(ready.Wait(TimeSpan.FromSeconds(30)), "the API clients did not connect");
        go.SetResult();
        return await Task.WhenAll(starts);
    }

    /// <summary>runc, but every <c>create</c> waits first: a start long enough to overlap others if allowed to.</summary>
    private string WriteSlowRuntime()
    {
        string runc = new[] { "/usr/sbin/runc", "/usr/bin/runc" }.First(File.Exists);
        Directory.CreateDirectory(TestRoot);
        string path = Path.Combine(TestRoot, "slow-runc.sh");
        File.WriteAllText(path, $$"""
            #!/bin/sh
            for arg in "$@"; do [ "$arg" = create ] && { sleep {{CreateDelay}}; break; }; done
            exec {{runc}} "$@"

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
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
