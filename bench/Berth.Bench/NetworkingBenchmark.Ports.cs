using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Berth.Bench;

/// <summary>
/// Published ports (<c>-p</c>), on a network of their own with <see cref="PortFleet"/> containers each publishing one:
/// <list type="bullet">
/// <item>port_first_ms … port_last10_median_ms: `docker run -d -p HOSTPORT:80` to the container's page answering through
/// 127.0.0.1:HOSTPORT in the docker host's namespace, for the 1st–10th and the 491st–500th container (the others, which
/// only sleep, are started between them); for berthd also its own publish step (host port held and DNAT map element
/// added), port_publish_…, from its debug timing (event 5304).</item>
/// <item>published_gbps, direct_gbps: bulk TCP from the docker host's namespace to 127.0.0.1:HOSTPORT and to the
/// container's address, into a receiver of this process listening inside the container's namespace.</item>
/// <item>published_http_… and direct_http_…: short HTTP/1.0 requests (a connection each) to busybox httpd in a
/// container, <see cref="HttpConcurrency"/> at a time: answers per second, p50 and p99.</item>
/// </list>
/// Traffic rounds alternate between the two ways in, and their medians are reported. For Docker the host namespace is
/// this process's own, and 127.0.0.1:HOSTPORT is served by docker-proxy (its userland proxy, on by default).
/// </summary>
internal sealed partial class NetworkingBenchmark
{
    private const int PortFleet = 500;

    /// <summary>Containers timed at each end of the fleet; their medians are reported beside the 1st and the 500th.</summary>
    private const int PortSample = 10;

    /// <summary>Host ports HostPortBase … HostPortBase + PortFleet + 1: below this machine's ephemeral range (32768–60999).</summary>
    private const int HostPortBase = 20000;

    private const int ContainerPort = 80;

    /// <summary>berthd's publish step is timed for every container: its medians over this many at each end are the steadier figure.</summary>
    private const int PublishSample = 50;

    private const int TrafficRounds = 6;

    /// <summary>busybox httpd listens with a backlog of 9: more clients than that would measure its SYN drops, not the path.</summary>
    private const int HttpConcurrency = 8;

    private const int PortsSubnetThirdOctet = 4; // X.Y.4.0/22: room for the fleet beside the /24s the other measurements use

    private static readonly TimeSpan TrafficRound = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan TrafficWarmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ForwardingTimeout = TimeSpan.FromSeconds(20);

    /// <summary>berthd's debug line for its publish step (ContainerPorts, event 5304).</summary>
    private static readonly Regex PublishTiming = new(@"\[5304\] container (?<id>[0-9a-f]{12}) published \d+ ports in (?<ms>[0-9.]+) ms", RegexOptions.CultureInvariant);

    /// <summary>A berthd of its own (at debug level, for its publish timings) in a namespace of its own.</summary>
    private void MeasurePortsOnBerth(string dir, BenchResult result)
    {
        var timings = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        using var daemon = BenchDaemon.Start(Path.Combine(dir, "ports"), "port", logLevel: "debug");
        daemon.LineReceived += line =>
        {
            if (PublishTiming.Match(line) is { Success: true } match)
            {
                timings[match.Groups["id"].Value] = double.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture);
            }
        };
        MeasurePorts(new PortScene(new Target("berthd", daemon.Cli, daemon.Socket, "10.162", [daemon.Pid]), daemon.NetnsPath, timings), dir, result, "");
    }

    private void MeasurePorts(PortScene scene, string dir, BenchResult result, string prefix)
    {
        var docker = scene.Target.Cli;
        string network = "nbports" + Environment.ProcessId;
        BusyboxImage.Import(docker, dir);
        docker.Checked("network", "create", "--subnet", $"{scene.Target.Subnet}.{PortsSubnetThirdOctet}.0/22", network);
        try
        {
            using var host = NetnsSockets.Open(scene.HostNetns);
            MeasurePortCost(scene, host, network, result, prefix);
            MeasureThroughput(scene, host, network, result, prefix);
            MeasureHttp(scene, host, network, result, prefix);
        }
        finally
        {
            log.WriteLine($"networking ({scene.Target.Name}): removing the published-port containers");
            var removal = Stopwatch.StartNew();
            var ids = docker.Run("ps", "-aq", "--filter", "ancestor=" + BusyboxImage.Name).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var chunk in ids.Chunk(50))
            {
                docker.Run(["rm", "-f", .. chunk]);
            }

            docker.Run("network", "rm", network);
            docker.Run("rmi", BusyboxImage.Name);
            log.WriteLine($"  removed in {removal.Elapsed.TotalSeconds:0.0} s");
        }
    }

    private void MeasurePortCost(PortScene scene, NetnsSockets host, string network, BenchResult result, string prefix)
    {
        var docker = scene.Target.Cli;
        log.WriteLine($"networking ({scene.Target.Name}): {PortFleet} containers each publishing a port, one after another; run to forwarding timed for the first and last {PortSample}");
        var ids = new string[PortFleet];
        var runMs = new List<double>(2 * PortSample);
        var fleet = Stopwatch.StartNew();
        for (int i = 0; i < PortFleet; i++)
        {
            string name = FleetName(i);
            string port = $"{HostPortBase + i}:{ContainerPort}";
            if (i >= PortSample && i < PortFleet - PortSample)
            {
                ids[i] = docker.Checked("run", "-d", "--name", name, "--network", network, "-p", port, BusyboxImage.Name, "sleep", "3600");
                continue;
            }

            var page = FleetPage(host, i);
            var clock = Stopwatch.StartNew();
            ids[i] = docker.Checked(["run", "-d", "--name", name, "--network", network, "-p", port, .. WebServer(name)]);
            Poll.Until(page.TryGet, ForwardingTimeout, $"{name}'s page through 127.0.0.1:{HostPortBase + i}");
            runMs.Add(clock.Elapsed.TotalMilliseconds);
            log.WriteLine($"  {name}: run to forwarding {runMs[^1]:0.0} ms");
        }

        log.WriteLine($"  {PortFleet} started in {fleet.Elapsed.TotalSeconds:0.0} s");

        // With every port published, the first still leads to its own container.
        if (!FleetPage(host, 0).TryGet())
        {
            throw new InvalidOperationException($"{FleetName(0)} no longer answers through 127.0.0.1:{HostPortBase} with {PortFleet} ports published");
        }

        result.Add(prefix + "port_first_ms", Stats.Round(runMs[0]));
        result.Add(prefix + "port_500th_ms", Stats.Round(runMs[^1]));
        result.Add(prefix + "port_first10_median_ms", Stats.Median(runMs[..PortSample]));
        result.Add(prefix + "port_last10_median_ms", Stats.Median(runMs[PortSample..]));
        if (scene.PublishMs is { } timings)
        {
            var publishMs = ids.Select(id => PublishTimingOf(timings, id)).ToList();
            log.WriteLine($"  berthd's publish step: first {PortSample} {string.Join(", ", publishMs[..PortSample])} ms; last {PortSample} {string.Join(", ", publishMs[^PortSample..])} ms");
            result.Add(prefix + "port_publish_first_ms", publishMs[0]);
            result.Add(prefix + "port_publish_500th_ms", publishMs[^1]);
            result.Add(prefix + "port_publish_first10_median_ms", Stats.Median(publishMs[..PortSample]));
            result.Add(prefix + "port_publish_last10_median_ms", Stats.Median(publishMs[^PortSample..]));
            result.Add(prefix + "port_publish_first50_median_ms", Stats.Median(publishMs[..PublishSample]));
            result.Add(prefix + "port_publish_last50_median_ms", Stats.Median(publishMs[^PublishSample..]));
        }
    }

    /// <summary>berthd's publish step for a container, in ms: it logs it before it answers the start, but the line may still be in the pipe.</summary>
    private static double PublishTimingOf(ConcurrentDictionary<string, double> timings, string id)
    {
        double ms = double.NaN;
        Poll.Until(() => timings.TryGetValue(id[..12], out ms), TimeSpan.FromSeconds(5), $"berthd's publish timing of {id[..12]}");
        return ms;
    }

    private void MeasureThroughput(PortScene scene, NetnsSockets host, string network, BenchResult result, string prefix)
    {
        const string name = "npsink";
        int hostPort = HostPortBase + PortFleet;
        var docker = scene.Target.Cli;
        docker.Checked("run", "-d", "--name", name, "--network", network, "-p", $"{hostPort}:{ContainerPort}", BusyboxImage.Name, "sleep", "3600");
        using var container = NetnsSockets.Open(docker.NetnsOf(name));
        using var sink = TcpSink.Listen(container, ContainerPort);
        var ways = WaysTo(docker, name, network, hostPort);

        log.WriteLine($"networking ({scene.Target.Name}): TCP throughput, {TrafficRounds} rounds of {TrafficRound.TotalSeconds:0} s each way");
        foreach (var way in ways)
        {
            sink.Measure(host, way.To, TrafficWarmUp);
        }

        var rounds = Alternate(ways, way => sink.Measure(host, way.To, TrafficRound),
            (round, way, r) => log.WriteLine($"  round {round} {way.Field} ({way.To}): {r.Gbps:0.00} Gb/s, {r.CpuMsPerGb:0} ms CPU per GB"));
        foreach (var way in ways)
        {
            result.Add($"{prefix}{way.Field}_gbps", Math.Round(Stats.Median([.. rounds[way].Select(r => r.Gbps)]), 2));
        }

        // Round by round the ways ran seconds apart: the median of their ratios is steadier on a loaded machine.
        result.Add(prefix + "published_vs_direct_gbps", Math.Round(Stats.Median([.. rounds[ways[1]].Zip(rounds[ways[0]], (p, d) => p.Gbps / d.Gbps)]), 3));
        foreach (var way in ways)
        {
            result.Add($"{prefix}{way.Field}_cpu_ms_per_gb", Math.Round(Stats.Median([.. rounds[way].Select(r => r.CpuMsPerGb)])));
        }
    }

    private void MeasureHttp(PortScene scene, NetnsSockets host, string network, BenchResult result, string prefix)
    {
        const string name = "npweb";
        int hostPort = HostPortBase + PortFleet + 1;
        var docker = scene.Target.Cli;
        docker.Checked(["run", "-d", "--name", name, "--network", network, "-p", $"{hostPort}:{ContainerPort}", .. WebServer(name)]);
        var ways = WaysTo(docker, name, network, hostPort);
        var loads = ways.ToDictionary(w => w, w => new HttpLoadGenerator(host, w.To, name));
        foreach (var way in ways)
        {
            Poll.Until(loads[way].TryGet, ForwardingTimeout, $"{name}'s page at {way.To}");
        }

        log.WriteLine($"networking ({scene.Target.Name}): HTTP, a connection per request, {HttpConcurrency} clients, {TrafficRounds} rounds of {TrafficRound.TotalSeconds:0} s each way");
        foreach (var way in ways)
        {
            loads[way].Run(TrafficWarmUp, HttpConcurrency);
        }

        var rounds = Alternate(ways, way => loads[way].Run(TrafficRound, HttpConcurrency),
            (round, way, r) => log.WriteLine($"  round {round} {way.Field} ({way.To}): {r.PerSecond:0} req/s, p50 {r.P50Ms} ms, p99 {r.P99Ms} ms, max {r.MaxMs} ms ({r.Answered} answered, {r.Failed} failed)"));
        foreach (var way in ways)
        {
            result.Add($"{prefix}{way.Field}_http_p50_ms", Stats.Median([.. rounds[way].Select(r => r.P50Ms)]));
            result.Add($"{prefix}{way.Field}_http_p99_ms", Stats.Median([.. rounds[way].Select(r => r.P99Ms)]));
            result.Add($"{prefix}{way.Field}_http_conn_per_s", Stats.Median([.. rounds[way].Select(r => r.PerSecond)]));
            result.Add($"{prefix}{way.Field}_http_failed", rounds[way].Sum(r => r.Failed));
        }
    }

    /// <summary>
    /// The ways from the docker host to a container's port: its own address; the published port on the host's loopback
    /// (for Docker: docker-proxy); the published port on the network's gateway address, a local address of the host
    /// (for Docker: its iptables DNAT, no proxy).
    /// </summary>
    private static List<Way> WaysTo(DockerCli docker, string container, string network, int hostPort) =>
    [
        new("direct", new IPEndPoint(AddressOf(docker, container, network), ContainerPort)),
        new("published", new IPEndPoint(IPAddress.Loopback, hostPort)),
        new("published_gateway", new IPEndPoint(IPAddress.Parse(docker.Checked("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{network}\").Gateway}}}}", container)), hostPort)),
    ];

    private static Dictionary<Way, List<T>> Alternate<T>(IReadOnlyList<Way> ways, Func<Way, T> measure, Action<int, Way, T> report) =>
        AlternatingRounds.Run(ways, TrafficRounds, measure, report);

    private static string FleetName(int index) => $"np{index}";

    /// <summary>Fleet container <paramref name="index"/>'s page through its published port on the host's loopback.</summary>
    private static HttpLoadGenerator FleetPage(NetnsSockets host, int index) =>
        new(host, new IPEndPoint(IPAddress.Loopback, HostPortBase + index), FleetName(index));

    /// <summary>busybox httpd on port 80 serving a page that is the container's name.</summary>
    private static string[] WebServer(string name) =>
        [BusyboxImage.Name, "sh", "-c", $"mkdir -p /www && echo {name} > /www/index.html && exec httpd -f -p {ContainerPort} -h /www"];

    private static IPAddress AddressOf(DockerCli docker, string container, string network) =>
        IPAddress.Parse(docker.Checked("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", container));

    /// <summary>One way in to a container's port from the docker host: the prefix of its fields, and the address it connects to.</summary>
    private sealed record Way(string Field, IPEndPoint To);

    /// <summary>
    /// A daemon under test for published ports: the namespace its host side is in (null: this process's, where a
    /// Docker daemon's is), and berthd's publish timings by short container id (null for Docker).
    /// </summary>
    private sealed record PortScene(Target Target, string? HostNetns, ConcurrentDictionary<string, double>? PublishMs);
}
