using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Berth.Bench;

/// <summary>
/// The first packet through a VIP with many services on the network: TCP connects (the handshake: the SYN is DNATed by
/// the client's own nftables table) from <see cref="ClientContainer"/> to <see cref="VipService"/>'s VIP, in turns with
/// connects straight to its task on node3, all to <see cref="ConnectPort"/>, where a <see cref="ConnectSink"/> of this
/// process listens in each task's namespace (the VIP forwards every port), while 9 other services with --replicas 0 on <see cref="Network"/> hold their
/// VIPs and map entries; then with 999 of them; then with 9 again (how much the machine drifted meanwhile). The 990 are
/// created (and removed) through the API on node1's socket, <see cref="ApiConcurrency"/> requests at a time, and the
/// client's namespace is watched until its table holds (or no longer holds) every one of them. Each measurement waits
/// until the lab's berthds and etcd are quiet (<see cref="QuietCpuShare"/>): the services then hold their entries in a
/// steady state, and the connects do not compete for the two cores with the nodes still digesting the burst.
/// </summary>
internal sealed partial class ServicesBenchmark
{
    private const int FewServices = 10;
    private const int ManyServices = 1000;
    private const int ConnectSamples = 3000;

    /// <summary>The tasks' port the connects go to: no server of the tasks' own listens there.</summary>
    private const int ConnectPort = 9000;

    /// <summary>Requests in flight to node1's API while the idle services are created or removed.</summary>
    private const int ApiConcurrency = 16;

    private const string IdlePrefix = "idle";

    /// <summary>Docker's API version the requests name (the docker CLI's 20.10 speaks 1.41).</summary>
    private const string ApiVersion = "v1.41";

    /// <summary>The lab is quiet when its berthds and etcd together use less than this share of one core over <see cref="QuietWindow"/>.</summary>
    private const double QuietCpuShare = 0.1;

    private static readonly TimeSpan QuietWindow = TimeSpan.FromSeconds(1);

    /// <summary>How long the lab may take to go quiet before a measurement starts anyway (said on stderr).</summary>
    private static readonly TimeSpan QuietTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How often the client's nftables table is read while the services come or go (each read is an nft process).</summary>
    private static readonly TimeSpan ProgrammedPoll = TimeSpan.FromMilliseconds(100);

    private void MeasureManyServices(BenchSwarmLab lab, BenchResult result)
    {
        var manager = lab[1].Cli;
        string clientNetns = manager.NetnsOf(ClientContainer);
        using var client = NetnsSockets.Open(clientNetns);
        var tasks = new[] { 2, 3 }.SelectMany(node => TaskContainers(lab[node].Cli, VipService).Select(task => NetnsSockets.Open(lab[node].Cli.NetnsOf(task)))).ToList();
        var sinks = tasks.Select(task => ConnectSink.Listen(task, ConnectPort)).ToList();
        try
        {
            IPEndPoint[] targets = [new(Vip(manager, VipService), ConnectPort), new(TaskAddress(lab[3].Cli, VipService), ConnectPort)];
            MeasureFirstPackets(lab, clientNetns, client, targets, result);
        }
        finally
        {
            sinks.ForEach(sink => sink.Dispose());
            tasks.ForEach(task => task.Dispose());
        }
    }

    private void MeasureFirstPackets(BenchSwarmLab lab, string clientNetns, NetnsSockets client, IPEndPoint[] targets, BenchResult result)
    {
        using var http = UnixHttp.Create(lab[1].Socket);
        log.WriteLine($"services: {FewServices - 1} services with --replicas 0 beside {VipService} on {Network}; {ConnectSamples} connects to its VIP and to a task on node3, in turns");
        var few = CreateIdle(http, 0, FewServices - 1);
        WaitProgrammed(clientNetns, FewServices, "the client's table to hold 10 services");
        WaitQuiet(lab, result, "10_services");
        AddConnects(result, "10_services", ConnectTimer.Alternating(client, targets, ConnectSamples));

        int more = ManyServices - FewServices;
        log.WriteLine($"services: {more} more through the API ({ApiConcurrency} at a time)");
        var many = ChangeServices(() => CreateIdle(http, FewServices - 1, more), clientNetns, ManyServices, result, $"services_{more}_created_ms", $"services_{more}_in_client_table_ms");
        WaitQuiet(lab, result, "1000_services");
        AddConnects(result, "1000_services", ConnectTimer.Alternating(client, targets, ConnectSamples));

        log.WriteLine($"services: removing the {more} through the API");
        ChangeServices(() => Remove(http, many), clientNetns, FewServices, result, $"services_{more}_removed_ms", $"services_{more}_out_of_client_table_ms");
        WaitQuiet(lab, result, "10_services_after");
        AddConnects(result, "10_services_after", ConnectTimer.Alternating(client, targets, ConnectSamples));
        Remove(http, few);
    }

    /// <summary>
    /// Runs <paramref name="change"/> (requests to the API), then waits until the client's table holds
    /// <paramref name="services"/> services; <paramref name="requestsField"/>: how long the requests took in ms,
    /// <paramref name="tableField"/>: until the table held them, from the same start.
    /// </summary>
    private T ChangeServices<T>(Func<T> change, string clientNetns, int services, BenchResult result, string requestsField, string tableField)
    {
        var clock = Stopwatch.StartNew();
        T changed = change();
        double requestsMs = clock.Elapsed.TotalMilliseconds;
        WaitProgrammed(clientNetns, services, $"the client's table to hold {services} services");
        result.Add(requestsField, Stats.Round(requestsMs));
        result.Add(tableField, Stats.Round(clock.Elapsed.TotalMilliseconds));
        log.WriteLine($"  requests done in {requestsMs:0} ms; the client's table holds {services} services at {clock.Elapsed.TotalMilliseconds:0} ms");
        return changed;
    }

    /// <summary>
    /// Waits until the lab's berthds and etcd use less than <see cref="QuietCpuShare"/> of a core; <c>settled_ms_at_{at}</c>:
    /// how long that took, <c>lab_cpu_share_at_{at}</c>: their share of a core in the last window (what the services cost
    /// at rest).
    /// </summary>
    private void WaitQuiet(BenchSwarmLab lab, BenchResult result, string at)
    {
        var pids = Enumerable.Range(1, Nodes).SelectMany(node => lab.EtcdPids(node).Append(lab[node].Pid)).ToList();
        var clock = Stopwatch.StartNew();
        double share;
        do
        {
            double before = pids.Sum(ProcStatus.CpuSeconds);
            Thread.Sleep(QuietWindow);
            share = (pids.Sum(ProcStatus.CpuSeconds) - before) / QuietWindow.TotalSeconds;
        }
        while (share >= QuietCpuShare && clock.Elapsed < QuietTimeout);

        if (share >= QuietCpuShare)
        {
            log.WriteLine($"  the lab is still busy after {QuietTimeout.TotalSeconds:0} s ({share:0.00} of a core); measuring anyway");
        }

        result.Add($"settled_ms_at_{at}", Stats.Round(clock.Elapsed.TotalMilliseconds));
        result.Add($"lab_cpu_share_at_{at}", Math.Round(share, 2));
    }

    /// <summary><c>first_packet_ms_at_{at}</c> (median handshake through the VIP), its p99, and the same straight to the task.</summary>
    private void AddConnects(BenchResult result, string at, List<ConnectTimes> times)
    {
        var (vip, direct) = (times[0], times[1]);
        log.WriteLine($"  at {at}: VIP median {Stats.Median(vip.Ms)} ms, p99 {Stats.Percentile(vip.Ms, 99)} ms; direct median {Stats.Median(direct.Ms)} ms, p99 {Stats.Percentile(direct.Ms, 99)} ms ({vip.Failed + direct.Failed} failed)");
        result.Add($"first_packet_ms_at_{at}", Stats.Median(vip.Ms));
        result.Add($"first_packet_p99_ms_at_{at}", Stats.Percentile(vip.Ms, 99));
        result.Add($"first_packet_direct_ms_at_{at}", Stats.Median(direct.Ms));
        result.Add($"first_packet_direct_p99_ms_at_{at}", Stats.Percentile(direct.Ms, 99));
        result.Add($"first_packet_failed_at_{at}", vip.Failed + direct.Failed);
        result.Add($"first_packet_vip_vs_direct_at_{at}", Math.Round(Stats.Median(vip.Ms) / Stats.Median(direct.Ms), 3));
    }

    /// <summary>Services idle{from}…idle{from+n-1}, --replicas 0 on <see cref="Network"/>, created through the API concurrently; their ids.</summary>
    private static List<string> CreateIdle(HttpClient api, int from, int n)
    {
        var ids = new ConcurrentBag<string>();
        Parallel.ForEachAsync(Enumerable.Range(from, n), new ParallelOptions { MaxDegreeOfParallelism = ApiConcurrency }, async (i, cancellationToken) =>
        {
            var spec = new JsonObject
            {
                ["Name"] = IdlePrefix + i.ToString(CultureInfo.InvariantCulture),
                ["TaskTemplate"] = new JsonObject
                {
                    ["ContainerSpec"] = new JsonObject { ["Image"] = BusyboxImage.Name, ["Command"] = new JsonArray("sleep", "3600") },
                    ["Networks"] = new JsonArray(new JsonObject { ["Target"] = Network }),
                },
                ["Mode"] = new JsonObject { ["Replicated"] = new JsonObject { ["Replicas"] = 0 } },
            };
            using var content = new StringContent(spec.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await api.PostAsync($"/{ApiVersion}/services/create", content, cancellationToken);
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /services/create of {spec["Name"]}: {(int)response.StatusCode} {body}");
            }

            using var created = JsonDocument.Parse(body);
            ids.Add(created.RootElement.GetProperty("ID").GetString()!);
        }).GetAwaiter().GetResult();
        return [.. ids];
    }

    /// <summary>Removes the services <paramref name="ids"/> through the API concurrently; returns how many.</summary>
    private static int Remove(HttpClient api, List<string> ids)
    {
        Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = ApiConcurrency }, async (id, cancellationToken) =>
        {
            using var response = await api.DeleteAsync($"/{ApiVersion}/services/{id}", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"DELETE /services/{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }).GetAwaiter().GetResult();
        return ids.Count;
    }

    /// <summary>Waits until the load-balancing table in <paramref name="netns"/> holds exactly <paramref name="services"/> VIPs (each a TCP and a UDP element).</summary>
    private static void WaitProgrammed(string netns, int services, string what) =>
        Poll.Until(() => LoadBalancedElements(netns) == 2 * services, Patience, what, ProgrammedPoll);

    /// <summary>The elements of the client's maps <c>vips</c> (VIPs with tasks) and <c>no-backends</c> (without), from nft's listing.</summary>
    private static int LoadBalancedElements(string netns)
    {
        int elements = 0;
        foreach (string map in new[] { "vips", "no-backends" })
        {
            var (code, output) = Exec.TryRun("nsenter", $"--net={netns}", "nft", "list", "map", "ip", "berth-lb", map);
            elements += code == 0 ? CountOf(output, " : goto ") : 0;
        }

        return elements;
    }

    private static int CountOf(string text, string part)
    {
        int n = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }
}
