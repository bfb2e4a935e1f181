using System.Globalization;
using System.Net;

namespace Berth.Bench;

/// <summary>
/// Short HTTP/1.0 requests (a connection each: connect, GET, read to the server's close; <see cref="HttpLoadGenerator"/>),
/// <see cref="HttpConcurrency"/> at a time, to busybox httpd in tasks on the two workers (one each), four ways, in
/// alternating rounds; every way spreads its requests over two tasks, one per worker, so each compares paths, not servers:
/// <list type="bullet">
/// <item>vip: from a container on node1 (<see cref="ClientContainer"/>, its sockets made in its namespace, where the VIP is
/// balanced by nftables) to the VIP of <see cref="VipService"/>; direct: the same client straight to its two tasks'
/// addresses on the overlay, in turn.</item>
/// <item>mesh: from a LAN host that is no node (<see cref="MeshClientAddress"/>) to <see cref="VipService"/>'s port published
/// in ingress mode, through node1, which runs no task of it (so every request crosses to a worker over the ingress
/// overlay); mesh_direct: the same client to the port <see cref="HostService"/> (global on the workers) publishes in host
/// mode, on node2 and node3 in turn: no routing mesh, no overlay, each node's DNAT to its own task.</item>
/// </list>
/// </summary>
internal sealed partial class ServicesBenchmark
{
    private const string VipService = "vip";
    private const int VipReplicas = 2; // one per worker
    private const string HostService = "vhost";
    private const string ClientContainer = "client";
    private const string MeshClient = "meshclient";
    private const string MeshClientAddress = "10.89.0.100";
    private const int MeshPort = 8080;
    private const int HostModePort = 8081;
    private const int TrafficRounds = 6;

    /// <summary>busybox httpd listens with a backlog of 9: more clients than that would measure its SYN drops, not the path.</summary>
    private const int HttpConcurrency = 8;

    private static readonly TimeSpan TrafficRound = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan TrafficWarmUp = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ForwardingTimeout = TimeSpan.FromSeconds(30);

    private void MeasureTraffic(BenchSwarmLab lab, BenchResult result)
    {
        var manager = lab[1].Cli;
        log.WriteLine($"services: {VipService} ({VipReplicas} tasks, one per worker, on {Network}, port {MeshPort} in ingress mode), {HostService} (global on the workers, port {HostModePort} in host mode), a client container on node1, a LAN client at {MeshClientAddress}");
        manager.Checked(["service", "create", "--name", VipService, "--replicas", VipReplicas.ToString(CultureInfo.InvariantCulture), "--replicas-max-per-node", "1",
            "--constraint", "node.role==worker", "--network", Network, "--publish", $"published={MeshPort},target={HttpPort}", .. WebServer]);
        manager.Checked(["service", "create", "--name", HostService, "--mode", "global", "--constraint", "node.role==worker",
            "--publish", $"mode=host,published={HostModePort},target={HttpPort}", .. WebServer]);
        manager.Checked("run", "-d", "--network", Network, "--name", ClientContainer, BusyboxImage.Name, "sleep", "3600");

        using var client = NetnsSockets.Open(manager.NetnsOf(ClientContainer));
        using var lan = NetnsSockets.Open(lab.AddLanHost(MeshClient, MeshClientAddress));
        var workers = new[] { 2, 3 };
        List<Way> ways =
        [
            new("vip", client, [new IPEndPoint(Vip(manager, VipService), HttpPort)]),
            new("direct", client, [.. workers.Select(node => new IPEndPoint(TaskAddress(lab[node].Cli, VipService), HttpPort))]),
            new("mesh", lan, [new IPEndPoint(IPAddress.Parse(BenchSwarmLab.Address(1)), MeshPort)]),
            new("mesh_direct", lan, [.. workers.Select(node => new IPEndPoint(IPAddress.Parse(BenchSwarmLab.Address(node)), HostModePort))]),
        ];
        foreach (var way in ways)
        {
            foreach (var to in way.To)
            {
                double ms = Poll.Until(new HttpLoadGenerator(way.From, to, Page).TryGet, ForwardingTimeout, $"the page through {way.Field} ({to})");
                log.WriteLine($"  {way.Field} ({to}) answers ({ms:0} ms after its services were created)");
            }
        }

        var loads = ways.ToDictionary(w => w, w => new HttpLoadGenerator(w.From, w.To, Page));
        foreach (var way in ways)
        {
            loads[way].Run(TrafficWarmUp, HttpConcurrency);
        }

        log.WriteLine($"services: HTTP, a connection per request, {HttpConcurrency} clients, {TrafficRounds} rounds of {TrafficRound.TotalSeconds:0} s each way");
        var rounds = AlternatingRounds.Run(ways, TrafficRounds, way => loads[way].Run(TrafficRound, HttpConcurrency),
            (round, way, r) => log.WriteLine($"  round {round} {way.Field}: {r.PerSecond:0} req/s, p50 {r.P50Ms} ms, p99 {r.P99Ms} ms, max {r.MaxMs} ms ({r.Answered} answered, {r.Failed} failed)"));
        foreach (var way in ways)
        {
            result.Add($"{way.Field}_rps", Stats.Median([.. rounds[way].Select(r => r.PerSecond)]));
            result.Add($"{way.Field}_p50_ms", Stats.Median([.. rounds[way].Select(r => r.P50Ms)]));
            result.Add($"{way.Field}_p99_ms", Stats.Median([.. rounds[way].Select(r => r.P99Ms)]));
            result.Add($"{way.Field}_failed", rounds[way].Sum(r => r.Failed));
        }

        // Round by round the ways ran seconds apart: the median of their ratios is steadier on a loaded machine.
        result.Add("vip_vs_direct_p99", P99Ratio(rounds, ways[0], ways[1]));
        result.Add("mesh_vs_direct_p99", P99Ratio(rounds, ways[2], ways[3]));
    }

    private static double P99Ratio(Dictionary<Way, List<HttpLoadRound>> rounds, Way way, Way baseline) =>
        Math.Round(Stats.Median([.. rounds[way].Zip(rounds[baseline], (w, b) => w.P99Ms / b.P99Ms)]), 3);

    /// <summary>The VIP of <paramref name="service"/> on <see cref="Network"/>, from `service inspect` (Endpoint.VirtualIPs, without its prefix length).</summary>
    private static IPAddress Vip(DockerCli cli, string service)
    {
        string network = cli.Checked("network", "inspect", "-f", "{{.Id}}", Network);
        string vip = cli.Checked("service", "inspect", "-f", $"{{{{range .Endpoint.VirtualIPs}}}}{{{{if eq .NetworkID \"{network}\"}}}}{{{{.Addr}}}}{{{{end}}}}{{{{end}}}}", service);
        return IPAddress.Parse(vip.Split('/')[0]);
    }

    /// <summary>The address on <see cref="Network"/> of <paramref name="service"/>'s (first) task on <paramref name="cli"/>'s node.</summary>
    private static IPAddress TaskAddress(DockerCli cli, string service)
    {
        string task = TaskContainers(cli, service).FirstOrDefault() ?? throw new InvalidOperationException($"the node of {cli.Host} runs no task of {service}");
        return IPAddress.Parse(cli.Checked("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{Network}\").IPAddress}}}}", task));
    }

    /// <summary>One way to the tasks' page: the prefix of its fields, the namespace its sockets are made in, the addresses it connects to in turn.</summary>
    private sealed record Way(string Field, NetnsSockets From, IReadOnlyList<IPEndPoint> To);
}
