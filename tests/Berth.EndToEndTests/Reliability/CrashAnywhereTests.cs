using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Berth.EndToEndTests.Reliability;

/// <summary>
/// berthd killed with SIGKILL right after a state write or a kernel call of <see cref="CrashScenario"/> — and now and
/// then again while it starts up after the crash — and started again: every network the store has is in the kernel and
/// nothing of Berth's is in the kernel that the store does not know (bridges, veths, namespaces), no address is held
/// twice, running containers are adopted with their published port and DNS answering, and everything can then be
/// removed without a trace. CI crashes it every few points along the scenario, going on after each recovery with the
/// step it died in (over 200 crash points, most of the scenario's points hit in one pass or another);
/// <c>./test.sh long</c> also tries every point from a fresh start.
/// </summary>
public sealed class CrashAnywhereTests(ITestOutputHelper output) : DaemonTest
{
    private const string Address = "10.77.0.10";

    /// <summary>Every this many crashes, the start after it is crashed too (a point of the restore), or killed once up.</summary>
    private const int StartupCrashEvery = 3;

    /// <summary>Crashes in the scenario per CI run; with the starts crashed after every third, over 200 crash points in all.</summary>
    private const int Crashes = 160;

    /// <summary>Scenario points between two crashes of one pass: 1 to 2×this, drawn with the pass's own seed.</summary>
    private const int Interval = 8;

    private CrashControl _crash = null!;
    private int _crashes, _startupCrashes, _killedUp;
    private readonly Dictionary<string, int> _sites = new(StringComparer.Ordinal);

    [RootFact]
    public async Task CrashesAlongTheScenarioLoseNothingAndLeaveNothingBehind()
    {
        var (daemon, compose, _) = await StartAndCountAsync();
        var clock = Stopwatch.StartNew();
        for (int pass = 0; _crashes < Crashes; pass++)
        {
            // Each pass crashes at points of its own, the next 1 to 2×Interval points after the last recovery.
            var random = new Random(pass);
            _crash.Arm(random.Next(1, 2 * Interval));
            var steps = CrashScenario.Steps(daemon, compose);
            int step = 0;
            while (step < steps.Count)
            {
                step = await RunUntilDeadAsync(daemon, steps, step);
                if (step == steps.Count && daemon.IsRunning)
                {
                    _crash.Disarm();
                    // A point of the background work (the link reaper) may still have been armed.
                    if (!Poll.Until(() => !daemon.IsRunning, TimeSpan.FromMilliseconds(300)))
                    {
                        break;
                    }
                }

                daemon = await RecoverAsync(daemon, $"a crash in step {step + 1} of {steps.Count}, pass {pass + 1}");
                steps = CrashScenario.Steps(daemon, compose);
                if (step < steps.Count)
                {
                    // The step berthd died in is asked again, as a user would, and done without a crash: every
                    // crash moves the scenario on.
                    step = await RunUntilDeadAsync(daemon, [.. steps.Take(step + 1)], step);
                    Assert.True(daemon.IsRunning, $"berthd ended, not crashed, in step {step} asked again after a crash in it:\n{daemon.Log[^Math.Min(3000, daemon.Log.Length)..]}");
                }

                if (_crashes < Crashes)
                {
                    _crash.Arm(random.Next(1, 2 * Interval));
                }
            }

            _crash.Disarm();
            await RemoveEverythingAsync(daemon);
            AssertClean(daemon);
        }

        Report(clock);
    }

    [LongRootFact]
    public async Task ACrashAtAnyPointFromAFreshStartLosesNothingAndLeavesNothingBehind()
    {
        var (daemon, compose, points) = await StartAndCountAsync();
        var clock = Stopwatch.StartNew();
        foreach (int nth in Enumerable.Range(1, (int)points))
        {
            _crash.Arm(nth);
            var steps = CrashScenario.Steps(daemon, compose);
            int step = await RunUntilDeadAsync(daemon, steps, 0);
            Assert.True(Poll.Until(() => !daemon.IsRunning, TimeSpan.FromSeconds(10)), $"crash point {nth} of {points} was not reached");
            daemon = await RecoverAsync(daemon, $"a crash at point {nth} of {points} (step {step + 1})");
            await RemoveEverythingAsync(daemon);
            AssertClean(daemon);
        }

        Report(clock);
    }

    /// <summary>A berthd counting its crash points, the scenario run once without a crash: how many points it passes.</summary>
    private async Task<(Berthd Daemon, string Compose, long Points)> StartAndCountAsync()
    {
        _crash = new CrashControl(Path.Combine(TestRoot, "crash"));
        var daemon = StartDaemon(_crash.Environment);
        BusyboxImage.Import(daemon, TestRoot);
        string compose = CrashScenario.WriteComposeFile(TestRoot);

        long start = _crash.Passed();
        using (var api = DaemonApi.Client(daemon))
        {
            foreach (var step in CrashScenario.Steps(daemon, compose))
            {
                using var response = await step(api);
                Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        long points = _crash.Passed() - start;
        AssertClean(daemon);
        output.WriteLine($"the scenario passes {points} crash points");
        return (daemon, compose, points);
    }

    /// <summary>Asks the steps from <paramref name="first"/> on until berthd dies; the step it died in (or the count: none).</summary>
    private static async Task<int> RunUntilDeadAsync(Berthd daemon, IReadOnlyList<Func<HttpClient, Task<HttpResponseMessage>>> steps, int first)
    {
        using var api = DaemonApi.Client(daemon);
        for (int step = first; step < steps.Count; step++)
        {
            try
            {
                using var response = await steps[step](api);
            }
            catch (HttpRequestException)
            {
                return step; // it died under the request
            }

            if (!daemon.IsRunning)
            {
                return step;
            }
        }

        return steps.Count;
    }

    /// <summary>
    /// After berthd died at an armed point: names its site, now and then crashes the start after it too, then starts it
    /// and checks the store and the kernel agree.
    /// </summary>
    private async Task<Berthd> RecoverAsync(Berthd daemon, string what)
    {
        Assert.True(Poll.Until(() => !daemon.IsRunning, TimeSpan.FromSeconds(10)), $"{what}: berthd did not die");
        string site = _crash.TakeCrashSite() ?? throw new Xunit.Sdk.XunitException($"{what}: berthd ended without being crashed:\n{daemon.Log[^Math.Min(3000, daemon.Log.Length)..]}");
        _sites[site] = _sites.GetValueOrDefault(site) + 1;
        _crashes++;

        // Now and then the start after the crash dies too, a few points into its restore.
        if (_crashes % StartupCrashEvery == 0)
        {
            _crash.Arm(1 + (_crashes / StartupCrashEvery % 5));
            try
            {
                // Up before its Nth point (a start with little to repair passes few): killed now instead.
                StartDaemon(_crash.Environment).Kill();
            }
            catch (InvalidOperationException)
            {
                // Died while starting: that was the point.
            }

            if (_crash.TakeCrashSite() is not null)
            {
                _startupCrashes++;
            }
            else
            {
                _killedUp++;
            }
        }

        _crash.Disarm();
        daemon = StartDaemon(_crash.Environment);
        await AssertConsistentAsync(daemon, $"after {what} ({site})");
        return daemon;
    }

    private void Report(Stopwatch clock)
    {
        int tried = _crashes + _startupCrashes + _killedUp;
        output.WriteLine($"{tried} crash points: {_crashes} in the scenario, {_startupCrashes} while starting after one, {_killedUp} kills just after such a start; " +
            $"{clock.Elapsed.TotalSeconds:0} s; sites: " + string.Join(", ", _sites.OrderByDescending(s => s.Value).Select(s => $"{s.Key} {s.Value}")));
        Assert.True(tried >= 200, $"only {tried} crash points tried");
    }

    /// <summary>The store and the kernel agree, running containers run and answer, no address is held twice.</summary>
    private async Task AssertConsistentAsync(Berthd daemon, string when)
    {
        using var api = DaemonApi.Client(daemon);
        var networks = (await api.GetFromJsonAsync<JsonArray>("/networks"))!.Select(n => n!.AsObject()).ToList();
        var bridges = networks.Where(n => n["Driver"]!.GetValue<string>() == "bridge" && n["Name"]!.GetValue<string>() != "bridge")
            .ToDictionary(n => "br-" + n["Id"]!.GetValue<string>()[..12], n => n["Name"]!.GetValue<string>());
        var inKernel = Links("bridge").Where(l => l != "berth0" && !Reaped(l)).ToHashSet(StringComparer.Ordinal);
        Assert.True(inKernel.SetEquals(bridges.Keys), $"{when}: the kernel's bridges [{string.Join(", ", inKernel)}] are not the store's [{string.Join(", ", bridges.Keys)}]");

        var running = (await api.GetFromJsonAsync<JsonArray>("/containers/json"))!.Select(c => c!["Id"]!.GetValue<string>()).ToList();
        var namespaces = Directory.Exists(Path.Combine(daemon.ExecRoot, "netns"))
            ? Directory.GetFiles(Path.Combine(daemon.ExecRoot, "netns"), "c-*").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal)
            : [];
        Assert.True(namespaces.SetEquals(running.Select(id => "c-" + id[..12])), $"{when}: namespaces [{string.Join(", ", namespaces)}] but running containers [{string.Join(", ", running)}]");

        int endpoints = 0;
        foreach (var network in networks.Where(n => n["Driver"]!.GetValue<string>() == "bridge"))
        {
            var attached = (await api.GetFromJsonAsync<JsonObject>($"/networks/{network["Id"]}"))!["Containers"]!.AsObject();
            var addresses = attached.Select(c => c.Value!["IPv4Address"]!.GetValue<string>()).ToList();
            Assert.True(addresses.Count == addresses.Distinct(StringComparer.Ordinal).Count(), $"{when}: an address is held twice on {network["Name"]}: {string.Join(", ", addresses)}");
            endpoints += attached.Count;
        }

        var veths = Links("veth").Where(l => l.StartsWith("veth", StringComparison.Ordinal)).ToList();
        Assert.True(veths.Count == endpoints, $"{when}: {veths.Count} veths in the kernel for {endpoints} endpoints");

        if (running.Count > 0 && (await api.GetFromJsonAsync<JsonObject>($"/containers/{CrashScenario.Web}/json")) is { } web
            && web["State"]!["Running"]!.GetValue<bool>())
        {
            Assert.True(Poll.Until(() => LanPeer.Exec("curl", "-s", "-m", "2", $"http://{Address}:{CrashScenario.PublishedPort}/").Output.Trim() == "served", TimeSpan.FromSeconds(10)),
                $"{when}: the adopted container's published port does not answer");
            // Its name answers from inside it with its addresses on its networks (crashnet's, and side's while connected).
            var ips = web["NetworkSettings"]!["Networks"]!.AsObject().Select(n => n.Value!["IPAddress"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(ips, Nslookup.Addresses(daemon, CrashScenario.Web, CrashScenario.Web));
        }
    }

    private static async Task RemoveEverythingAsync(Berthd daemon)
    {
        using var api = DaemonApi.Client(daemon);
        foreach (var container in (await api.GetFromJsonAsync<JsonArray>("/containers/json?all=1"))!)
        {
            using var removed = await api.DeleteAsync($"/containers/{container!["Id"]}?force=1");
            Assert.True(removed.IsSuccessStatusCode, $"container rm: {(int)removed.StatusCode} {await removed.Content.ReadAsStringAsync()}");
        }

        foreach (string name in (string[])[CrashScenario.Side, CrashScenario.Inner, CrashScenario.Network, CrashScenario.Project + "_default"])
        {
            using var removed = await api.DeleteAsync($"/networks/{name}");
            Assert.True(removed.IsSuccessStatusCode || (int)removed.StatusCode == 404, $"network rm {name}: {(int)removed.StatusCode} {await removed.Content.ReadAsStringAsync()}");
        }

        foreach (string name in (string[])[CrashScenario.Volume, CrashScenario.Project + "_data"])
        {
            using var volume = await api.DeleteAsync($"/volumes/{name}");
            Assert.True(volume.IsSuccessStatusCode || (int)volume.StatusCode == 404, $"volume rm {name}: {(int)volume.StatusCode} {await volume.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Nothing of the scenario is left: no bridge but the default one, no veth, no container namespace, no rule for a removed bridge.</summary>
    private void AssertClean(Berthd daemon)
    {
        // Removed links are renamed bx-… and deleted by berthd's reaper in the background: give it a moment.
        Assert.True(Poll.Until(() => Links("bridge").All(l => l == "berth0") && !Links("veth").Any(l => !l.StartsWith("eth", StringComparison.Ordinal)), TimeSpan.FromSeconds(10)),
            $"links left: {string.Join(", ", Links("bridge").Concat(Links("veth")))}");
        Assert.Empty(Directory.Exists(Path.Combine(daemon.ExecRoot, "netns")) ? Directory.GetFiles(Path.Combine(daemon.ExecRoot, "netns"), "c-*") : []);
        Assert.DoesNotContain("br-", DockerHost.Exec("nft", "list", "ruleset").Output, StringComparison.Ordinal);
    }

    /// <summary>A link berthd has let go of and its reaper is deleting.</summary>
    private static bool Reaped(string link) => link.StartsWith("bx-", StringComparison.Ordinal);

    private string[] Links(string type) =>
        [.. HostIp("-o", "link", "show", "type", type).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':')[1].Trim().Split('@')[0])];
}
