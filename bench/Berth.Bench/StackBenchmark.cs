using System.Globalization;
using System.Text;

namespace Berth.Bench;

/// <summary>
/// Stacks (`bench/run.sh stack`): the real `docker stack deploy` of a 10-service stack (busybox httpd, 2 replicas each,
/// one overlay) on the 5-node lab swarm (<see cref="BenchSwarmLab"/>: nodes 1–3 managers, 4–5 workers), timed until
/// every service runs all its replicas (the CLI returns at once: it does not wait), then `stack rm` until no node has a
/// container of the stack and its network is gone; <see cref="Rounds"/> rounds each of the dnsrr stack (the one Docker
/// can run here) and of the same stack with VIPs and one port published through the routing mesh. Docker 20.10 runs
/// the dnsrr stack on its single-node swarm in the same run. Everything is removed after.
/// </summary>
internal sealed class StackBenchmark(int rounds, TextWriter log)
{
    private const int Nodes = 5;
    private const int Managers = 3;
    private const int Services = 10;
    private const int Replicas = 2;
    private const string Stack = "bench";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);

    private int Rounds => rounds;

    public BenchResult Run()
    {
        var result = new BenchResult();
        string dir = $"/var/lib/berth-bench-{Environment.ProcessId}-stack";
        result.Add("rounds", rounds);
        result.Add("load_average_at_start", LoadAverage());
        MeasureBerth(dir, result);
        if (BenchDockerd.Installed && Environment.GetEnvironmentVariable("BERTH_BENCH_DOCKER") != "0")
        {
            MeasureDocker(dir + "-docker", result);
        }

        var targets = new Dictionary<string, TargetCheck>(StringComparer.Ordinal);
        if (result.Number("deploy_converged_ms") is { } berth && result.Number("docker_deploy_converged_ms") is { } docker && docker > 0)
        {
            targets["deploy_converged_vs_docker"] = new(Math.Round(berth / docker, 3), 0.5);
        }

        result.Add("targets", targets);
        result.Add("notes", new[]
        {
            $"deploy_converged_ms: from `docker stack deploy --resolve-image never` until `docker stack services` shows {Replicas}/{Replicas} for all {Services} services (polled every {PollEvery.TotalMilliseconds:0} ms); rm_ms: from `docker stack rm` until no node lists a container of the stack and the stack's network is gone. Medians of the rounds.",
            $"Berth: 5 nodes (3 managers with an etcd member each, 2 workers). deploy_: the dnsrr stack, the same file Docker runs; deploy_vip_: every service with a VIP and the first publishing port 8080 through the routing mesh. docker_: Docker 20.10, one node, the dnsrr stack (its VIPs and routing mesh do not work on this kernel).",
        });
        result.Add("load_average_at_end", LoadAverage());
        return result;
    }

    private void MeasureBerth(string dir, BenchResult result)
    {
        using var lab = new BenchSwarmLab(dir);
        log.WriteLine($"stack: starting {Nodes} berthd on a lab LAN: nodes 1-{Managers} managers, the others workers");
        for (int node = 1; node <= Nodes; node++)
        {
            lab.Start(node);
        }

        lab.FormSwarm(Nodes, Managers);
        var nodes = Enumerable.Range(1, Nodes).Select(n => lab[n].Cli).ToList();
        foreach (var cli in nodes)
        {
            BusyboxImage.Import(cli, dir);
        }

        string dnsrr = WriteStack(dir, "dnsrr.yml", vip: false);
        string vip = WriteStack(dir, "vip.yml", vip: true);
        Measure(nodes, dnsrr, "deploy", "rm", result);
        Measure(nodes, vip, "deploy_vip", "rm_vip", result);
    }

    private void MeasureDocker(string dir, BenchResult result)
    {
        log.WriteLine("stack: Docker 20.10 (dockerd --storage-driver=vfs) in a namespace of its own, a single-node swarm, the dnsrr stack");
        using var dockerd = BenchDockerd.StartSwarm(dir, "docker");
        try
        {
            Measure([dockerd.Cli], WriteStack(dir, "dnsrr.yml", vip: false), "docker_deploy", "docker_rm", result);
        }
        finally
        {
            dockerd.LeaveSwarm(Stack + "_net");
        }
    }

    /// <summary><see cref="Rounds"/> deploys until converged, each followed by its removal; adds both medians and maxima.</summary>
    private void Measure(IReadOnlyList<DockerCli> nodes, string file, string deployName, string rmName, BenchResult result)
    {
        var deploys = new List<double>();
        var removals = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            nodes[0].Checked("stack", "deploy", "--resolve-image", "never", "-c", file, Stack);
            Poll.Until(() => Converged(nodes[0]), Patience, $"the stack's {Services} services to run {Replicas} replicas each", PollEvery);
            deploys.Add(clock.Elapsed.TotalMilliseconds);

            clock.Restart();
            nodes[0].Checked("stack", "rm", Stack);
            Poll.Until(() => nodes.All(cli => cli.Run("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + Stack).Output.Trim().Length == 0)
                && !nodes[0].Checked("network", "ls", "--format", "{{.Name}}").Split('\n').Contains(Stack + "_net"), Patience, "the stack's containers and network to go", PollEvery);
            removals.Add(clock.Elapsed.TotalMilliseconds);
            log.WriteLine($"  {deployName} round {round}: converged in {deploys[^1]:0} ms, removed in {removals[^1]:0} ms");
        }

        result.Add(deployName + "_converged_ms", Stats.Median([.. deploys]));
        result.Add(deployName + "_converged_max_ms", Stats.Percentile([.. deploys], 100));
        result.Add(rmName + "_ms", Stats.Median([.. removals]));
        result.Add(rmName + "_max_ms", Stats.Percentile([.. removals], 100));
    }

    private static bool Converged(DockerCli manager)
    {
        var lines = manager.Run("stack", "services", "--format", "{{.Replicas}}", Stack).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == Services && lines.All(l => l.Trim() == $"{Replicas}/{Replicas}");
    }

    /// <summary>The stack file: <see cref="Services"/> httpd services on one overlay, dnsrr or (with <paramref name="vip"/>) VIPs and one mesh port.</summary>
    private static string WriteStack(string dir, string name, bool vip)
    {
        var yaml = new StringBuilder();
        yaml.Append("version: \"3.9\"\nnetworks:\n  net:\n    driver: overlay\nservices:\n");
        for (int i = 1; i <= Services; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                  s{i}:
                    image: {BusyboxImage.Name}
                    command: ["sh", "-c", "mkdir -p /www && echo s{i} > /www/index.html && exec httpd -f -p 8080 -h /www"]
                    networks: [net]
                    stop_grace_period: 1s
                    deploy:
                      replicas: {Replicas}
                      endpoint_mode: {(vip ? "vip" : "dnsrr")}

                """);
            if (vip && i == 1)
            {
                yaml.Append("    ports:\n      - \"8080:8080\"\n");
            }
        }

        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, name);
        File.WriteAllText(file, yaml.ToString());
        return file;
    }

    private static double[] LoadAverage() =>
        [.. File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
}
