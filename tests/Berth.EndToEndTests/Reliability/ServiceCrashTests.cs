using System.Diagnostics;
using System.Globalization;
using Berth.EndToEndTests.Fixtures;
using Berth.Linux.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace Berth.EndToEndTests.Reliability;

/// <summary>
/// A swarm manager's berthd (its own etcd member, on one lab node) killed with SIGKILL right after a state write or a
/// kernel call while services are made, scaled, updated and removed through the docker CLI, and started again: the
/// service converges to its spec with one running task per slot, its published port answers through the routing mesh
/// and <c>tasks.web</c> names exactly its tasks; then everything is removed without a trace. CI tries 5 points spread
/// over the scenario's ~500 (the swarm's own writes among them); <c>./test.sh long</c> 60.
/// </summary>
public sealed class ServiceCrashTests(ITestOutputHelper output) : DaemonTest
{
    private const string Address = "10.77.0.10";
    private const string Service = "web";
    private const string Network = "svcnet";
    private const int Port = 8080;
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    /// <summary>Each point costs a manager's restart and a service's convergence (~14 s here): a spread of them.</summary>
    private static int Budget => LongRootFactAttribute.IsLong ? 60 : 5;

    /// <summary>What users run, each step a CLI command or a wait for what it asked to be done.</summary>
    private static readonly Action<Berthd>[] Steps =
    [
        d => d.Docker("network", "create", "-d", "overlay", "--attachable", "--subnet", "10.181.0.0/24", Network),
        d => d.Docker("service", "create", "--detach", "--name", Service, "--replicas", "2", "--network", Network, "-p", $"{Port}:80",
            "--stop-grace-period", "1s", "--restart-delay", "1s", "--no-resolve-image", "bb:latest",
            "sh", "-c", "mkdir -p /www && echo served > /www/index.html && exec httpd -f -p 80 -h /www"),
        d => WaitFor(d, () => RunningSlots(d).Count == 2),
        d => d.Docker("service", "scale", "--detach", $"{Service}=3"),
        d => WaitFor(d, () => RunningSlots(d).Count == 3),
        d => d.Docker("service", "update", "--detach", "--env-add", "ROUND=2", Service),
        d => WaitFor(d, () => d.Docker("service", "inspect", "-f", "{{.UpdateStatus.State}}", Service).Output.Trim() == "completed"),
        d => d.Docker("service", "rm", Service),
        d => WaitFor(d, () => TaskContainers(d, all: true).Length == 0),
        d => d.Docker("network", "rm", Network),
    ];

    private CrashControl _crash = null!;

    [RootFact]
    public void AManagerCrashedAtAnyPointOfAServicesLifeConvergesAndLeavesNothingBehind()
    {
        _crash = new CrashControl(Path.Combine(TestRoot, "crash"));
        var daemon = StartDaemon(_crash.Environment);
        BusyboxImage.Import(daemon, TestRoot);
        daemon.DockerChecked("swarm", "init", "--advertise-addr", Address);
        try
        {
            // The scenario once without a crash: how many points it passes (the swarm's own writes meanwhile among them).
            long start = _crash.Passed();
            foreach (var step in Steps)
            {
                step(daemon);
            }

            long points = _crash.Passed() - start;
            AssertClean(daemon);
            var chosen = CrashControl.Spread(points, Budget);
            output.WriteLine($"the service scenario passes {points} crash points; trying {chosen.Count}");

            var sites = new Dictionary<string, int>(StringComparer.Ordinal);
            var clock = Stopwatch.StartNew();
            foreach (int nth in chosen)
            {
                _crash.Arm(nth);
                foreach (var step in Steps)
                {
                    step(daemon);
                    if (!daemon.IsRunning)
                    {
                        break;
                    }
                }

                Assert.True(Poll.Until(() => !daemon.IsRunning, TimeSpan.FromSeconds(10)), $"crash point {nth} of {points} was not reached");
                string site = _crash.TakeCrashSite() ?? throw new Xunit.Sdk.XunitException($"berthd ended at point {nth} of {points} without being crashed:\n{daemon.Log[^Math.Min(3000, daemon.Log.Length)..]}");
                _crash.Disarm();
                sites[site] = sites.GetValueOrDefault(site) + 1;

                string when = $"after a crash at point {nth} of {points} ({site})";
                daemon = StartDaemon(_crash.Environment);
                var restarted = daemon;
                Assert.True(Poll.Until(() => restarted.Docker("info", "-f", "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}").Output.Trim() == "active true", Converge),
                    $"{when}: berthd is not back in its swarm as a manager");
                output.WriteLine($"crashed at point {nth} ({site})");
                AssertConverged(daemon, when);
                var removed = daemon.Docker("service", "rm", Service);
                Assert.True(Poll.Until(() => TaskContainers(daemon, all: true).Length == 0, Converge), $"{when}: {removed}: the service's containers are not removed:\n{daemon.Docker("ps", "-a", "--format", "{{.ID}} {{.Names}} {{.Status}} {{.Labels}}").Output}\n{daemon.Log[^Math.Min(2500, daemon.Log.Length)..]}");
                daemon.Docker("network", "rm", Network);
                AssertClean(daemon);
            }

            output.WriteLine($"{chosen.Count} crash points in {clock.Elapsed.TotalSeconds:0} s; sites: " +
                string.Join(", ", sites.OrderByDescending(s => s.Value).Select(s => $"{s.Key} {s.Value}")));
        }
        finally
        {
            if (daemon.IsRunning)
            {
                daemon.Docker("swarm", "leave", "--force");
            }
        }
    }

    /// <summary>The service, if its create was recorded, runs one task per slot of its spec, answers on its port and by <c>tasks.web</c>.</summary>
    private void AssertConverged(Berthd daemon, string when)
    {
        var replicas = daemon.Docker("service", "inspect", "-f", "{{.Spec.Mode.Replicated.Replicas}}", Service);
        if (!replicas.Succeeded)
        {
            // Removed (or never made): its tasks' containers stop.
            Assert.True(Poll.Until(() => TaskContainers(daemon, all: false).Length == 0, Converge),
                $"{when}: the service is gone ({replicas.Error.Trim()}) but its task containers run:\n{daemon.Docker("ps").Output}\n{daemon.Log[^Math.Min(2500, daemon.Log.Length)..]}");
            return;
        }

        int wanted = int.Parse(replicas.Output.Trim(), CultureInfo.InvariantCulture);
        List<int> slots = [];
        Assert.True(Poll.Until(() => (slots = RunningSlots(daemon)).Distinct().Count() == wanted && slots.Count == wanted && TaskContainers(daemon, all: false).Length == wanted, Converge),
            $"{when}: running slots [{string.Join(", ", slots)}] for {wanted} replicas:\n{daemon.Docker("service", "ps", Service)}");
        Assert.True(Poll.Until(() => LanPeer.Exec("curl", "-s", "-m", "2", $"http://{Address}:{Port}/").Output.Trim() == "served", TimeSpan.FromSeconds(20)),
            $"{when}: the published port does not answer through the routing mesh");
        CmdResult tasks = null!;
        int answered = 0;
        Assert.True(Poll.Until(() => (answered = (tasks = daemon.Docker("run", "--rm", "--network", Network, "bb:latest", "nslookup", "tasks." + Service)).Output
            .Split('\n').Count(l => l.StartsWith("Address:", StringComparison.Ordinal) && !l.Contains("127.0.0.11", StringComparison.Ordinal))) == wanted, TimeSpan.FromSeconds(20)),
            $"{when}: tasks.{Service} names {answered} tasks, not {wanted}: {tasks}\n{daemon.Docker("service", "ps", Service).Output}");
    }

    /// <summary>No task container, no overlay namespace but the ingress's, no veth left.</summary>
    private void AssertClean(Berthd daemon)
    {
        Assert.Empty(TaskContainers(daemon, all: true));
        string netns = Path.Combine(daemon.ExecRoot, "netns");
        Assert.True(Poll.Until(() => Directory.GetFiles(netns, "c-*").Length == 0 && Directory.GetFiles(netns, "ov-*").Length <= 1, TimeSpan.FromSeconds(15)),
            $"namespaces left: {string.Join(", ", Directory.GetFiles(netns).Select(Path.GetFileName))}");
        Assert.True(Poll.Until(() => daemon.DockerChecked("network", "ls", "--format", "{{.Name}}").Output.Contains("ingress", StringComparison.Ordinal), TimeSpan.FromSeconds(20)),
            "the ingress network is gone:\n" + daemon.Log[^Math.Min(6000, daemon.Log.Length)..]);
        Assert.DoesNotContain(Network, daemon.DockerChecked("network", "ls", "--format", "{{.Name}}").Output, StringComparison.Ordinal);
    }

    /// <summary>The slots of the service's running task containers (a slot twice is counted twice).</summary>
    private static List<int> RunningSlots(Berthd daemon) =>
        [.. daemon.Docker("ps", "--filter", "label=com.docker.swarm.service.name=" + Service, "--format", "{{.Label \"com.docker.swarm.task.name\"}}").Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(name => int.Parse(name.Split('.')[1], CultureInfo.InvariantCulture)).Order()];

    private static string[] TaskContainers(Berthd daemon, bool all) =>
        daemon.Docker(["ps", .. all ? ["-a"] : Array.Empty<string>(), "-q", "--filter", "label=com.docker.swarm.service.name=" + Service]).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Polls <paramref name="done"/> while berthd runs (a crash ends the wait).</summary>
    private static void WaitFor(Berthd daemon, Func<bool> done) =>
        Poll.Until(() => !daemon.IsRunning || done(), Converge);
}
