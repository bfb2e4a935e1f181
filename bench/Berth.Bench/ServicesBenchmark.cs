using System.Globalization;

namespace Berth.Bench;

/// <summary>
/// Swarm services (`bench/run.sh services`) on three lab nodes (<see cref="BenchSwarmLab"/>: node1 the manager, node2
/// and node3 workers) and a LAN host that is no node, the real docker CLI against each berthd; one overlay,
/// <see cref="Network"/> on <see cref="Subnet"/>. One partial each:
/// <list type="bullet">
/// <item>converge (here): `service create --replicas 10` of busybox httpd, without --detach, until the CLI returns
/// converged (N rounds, the service removed and its containers gone between rounds), with a VIP and with dnsrr; then
/// `service scale web=50` until it returns;</item>
/// <item><c>ServicesBenchmark.Traffic.cs</c>: short HTTP requests through a VIP and through the routing mesh, beside the
/// same requests straight to a task;</item>
/// <item><c>ServicesBenchmark.Many.cs</c>: TCP connect time through a VIP with 10, then 1,000 services on the network;</item>
/// <item><c>ServicesBenchmark.Docker.cs</c>: Docker 20.10's single-node swarm, `service create --replicas 10
/// --endpoint-mode dnsrr` until converged (its VIPs and routing mesh do not work in this lab).</item>
/// </list>
/// Roots are under /var/lib (etcd's fsyncs on a disk, as a real node's would be). Everything is removed after.
/// </summary>
internal sealed partial class ServicesBenchmark(int count, TextWriter log)
{
    private const int Nodes = 3;
    private const string Network = "svcnet";
    private const string Subnet = "10.92.0.0/16"; // room for 1,000 VIPs beside the tasks
    private const int Replicas = 10;
    private const int ScaledReplicas = 50;
    private const int HttpPort = 8080;

    /// <summary>The service every converge round creates (and the scale scales).</summary>
    private const string Web = "web";

    /// <summary>The page every task serves (busybox httpd): the same on every task, so any answer through a VIP is checked.</summary>
    private const string Page = "svcbench";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>How often a removal is polled (each poll is a docker CLI process per node).</summary>
    private static readonly TimeSpan RemovalPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The image's busybox httpd on <see cref="HttpPort"/>, serving <see cref="Page"/>, with `service create`'s options
    /// before it: the CLI's image resolution left out (the image is local), and a stop grace period of a second (httpd,
    /// the container's first process, ignores SIGTERM, so every removal would wait the default 10 s before its KILL).
    /// </summary>
    private static readonly string[] WebServer =
        ["--no-resolve-image", "--stop-grace-period", "1s", BusyboxImage.Name, "sh", "-c", $"mkdir -p /www && echo {Page} > /www/index.html && exec httpd -f -p {HttpPort} -h /www"];

    public void Run(BenchResult result)
    {
        string dir = $"/var/lib/berth-bench-{Environment.ProcessId}-services";
        result.Add("load_average_at_start", LoadAverage());
        result.Add("count", count);
        Measure(dir, result);
        if (BenchDockerd.Installed && Environment.GetEnvironmentVariable("BERTH_BENCH_DOCKER") != "0")
        {
            MeasureDocker(dir + "-docker", result);
        }

        AddTargets(result);
        result.Add("load_average_at_end", LoadAverage());
    }

    private void Measure(string dir, BenchResult result)
    {
        using var lab = new BenchSwarmLab(dir);
        log.WriteLine("services: starting 3 berthd on a lab LAN (10.89.0.11-13): node1 manager, node2 and node3 workers");
        for (int node = 1; node <= Nodes; node++)
        {
            lab.Start(node);
        }

        lab.FormSwarm(Nodes);
        var nodes = Enumerable.Range(1, Nodes).Select(n => lab[n].Cli).ToList();
        try
        {
            foreach (var cli in nodes)
            {
                BusyboxImage.Import(cli, dir);
            }

            nodes[0].Checked("network", "create", "-d", "overlay", "--attachable", "--subnet", Subnet, Network);
            MeasureConverge(nodes, result);
            MeasureTraffic(lab, result);
            MeasureManyServices(lab, result);
        }
        finally
        {
            RemoveAll(nodes);
        }
    }

    private void MeasureConverge(IReadOnlyList<DockerCli> nodes, BenchResult result)
    {
        log.WriteLine($"services: service create --replicas {Replicas} on node1 until converged (VIP on {Network}), {count} rounds");
        AddRounds(result, "create", CreateRounds(nodes, ["--network", Network], keepLast: false));
        log.WriteLine($"services: the same with --endpoint-mode dnsrr, {count} rounds");
        AddRounds(result, "create_dnsrr", CreateRounds(nodes, ["--endpoint-mode", "dnsrr", "--network", Network], keepLast: true));
        log.WriteLine($"services: service scale {Web}={ScaledReplicas} until converged");
        var scale = ConvergeRun.Time(nodes[0], "service", "scale", $"{Web}={ScaledReplicas}");
        log.WriteLine($"  scaled in {scale.ReturnedMs:0} ms (converged at {scale.ConvergedMs:0} ms)");
        result.Add($"scale_{Replicas}_to_{ScaledReplicas}_ms", Stats.Round(scale.ReturnedMs));
        result.Add($"scale_{Replicas}_to_{ScaledReplicas}_tasks_running_ms", Stats.Round(scale.ConvergedMs));
        RemoveService(nodes, Web);
    }

    /// <summary>
    /// <see cref="count"/> rounds of `service create --name web --replicas 10 OPTIONS` on the first of
    /// <paramref name="nodes"/> until it returns converged, each followed by `service rm` and a wait until no node has
    /// one of its containers; with <paramref name="keepLast"/> the last round's service stays.
    /// </summary>
    private List<ConvergeRun> CreateRounds(IReadOnlyList<DockerCli> nodes, string[] options, bool keepLast)
    {
        var rounds = new List<ConvergeRun>(count);
        for (int i = 0; i < count; i++)
        {
            var round = ConvergeRun.Time(nodes[0], ["service", "create", "--name", Web, "--replicas", Replicas.ToString(CultureInfo.InvariantCulture), .. options, .. WebServer]);
            rounds.Add(round);
            int running = nodes.Sum(cli => TaskContainers(cli, Web).Length);
            log.WriteLine($"  round {i + 1}: returned converged in {round.ReturnedMs:0} ms (tasks converged at {round.ConvergedMs:0} ms), {running} containers");
            if (!keepLast || i < count - 1)
            {
                double removal = RemoveService(nodes, Web);
                log.WriteLine($"  removed, its containers gone in {removal:0} ms");
            }
        }

        return rounds;
    }

    /// <summary>
    /// <c>{name}_converged_ms</c>: median until the CLI returned converged (its 5 s hold included);
    /// <c>{name}_tasks_running_ms</c>: median until it first saw every task running (before that hold); their maxima.
    /// </summary>
    private static void AddRounds(BenchResult result, string name, List<ConvergeRun> rounds)
    {
        result.Add(name + "_converged_ms", Stats.Median([.. rounds.Select(r => r.ReturnedMs)]));
        result.Add(name + "_converged_max_ms", Stats.Percentile([.. rounds.Select(r => r.ReturnedMs)], 100));
        result.Add(name + "_tasks_running_ms", Stats.Median([.. rounds.Select(r => r.ConvergedMs)]));
        result.Add(name + "_tasks_running_max_ms", Stats.Percentile([.. rounds.Select(r => r.ConvergedMs)], 100));
    }

    /// <summary>`service rm`, then waits until no node lists a container of the service; returns how long that took in ms.</summary>
    private static double RemoveService(IReadOnlyList<DockerCli> nodes, string service)
    {
        nodes[0].Checked("service", "rm", service);
        return Poll.Until(() => nodes.All(cli => TaskContainers(cli, service).Length == 0), Patience, $"the containers of service {service} to go", RemovalPoll);
    }

    /// <summary>The ids of the containers (running or not) of <paramref name="service"/>'s tasks on <paramref name="cli"/>'s node.</summary>
    private static string[] TaskContainers(DockerCli cli, string service) =>
        cli.Checked("ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + service).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Every service, then every container of the bench image on every node, the network and the image.</summary>
    private void RemoveAll(IReadOnlyList<DockerCli> nodes)
    {
        log.WriteLine("services: removing the services, the containers, the network, the image");
        var services = nodes[0].Run("service", "ls", "-q").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var chunk in services.Chunk(100))
        {
            nodes[0].Run(["service", "rm", .. chunk]);
        }

        try
        {
            Poll.Until(() => nodes.All(cli => cli.Run("ps", "-aq", "--filter", "label=com.docker.swarm.task").Output.Trim().Length == 0), Patience, "every task container to go", RemovalPoll);
        }
        catch (TimeoutException e)
        {
            // The containers are removed by force below; a task container that outlived its service is Berth's bug, said here.
            log.WriteLine("services: " + e.Message);
        }

        foreach (var cli in nodes)
        {
            var ids = cli.Run("ps", "-aq").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (ids.Length > 0)
            {
                cli.Run(["rm", "-f", .. ids]);
            }
        }

        nodes[0].Run("network", "rm", Network);
        foreach (var cli in nodes)
        {
            cli.Run("rmi", BusyboxImage.Name);
        }
    }

    private static double[] LoadAverage() =>
        [.. File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
}
