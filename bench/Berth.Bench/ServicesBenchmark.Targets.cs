namespace Berth.Bench;

/// <summary>The targets, as ratios of figures measured in the same run, and what the figures mean.</summary>
internal sealed partial class ServicesBenchmark
{
    private static void AddTargets(BenchResult result)
    {
        var targets = new Dictionary<string, TargetCheck>(StringComparer.Ordinal);
        if (Ratio(result, "create_converged_ms", "docker_dnsrr_create_converged_ms") is { } create)
        {
            targets["create_converged_vs_docker"] = new(create, 0.5);
            if (Ratio(result, "create_tasks_running_ms", "docker_dnsrr_create_tasks_running_ms") is { } running)
            {
                targets["create_tasks_running_vs_docker"] = new(running, 0.5);
            }
        }

        targets["vip_p99_vs_direct"] = new(result.Number("vip_vs_direct_p99") ?? double.NaN, 1.5);
        targets["mesh_p99_vs_direct"] = new(result.Number("mesh_vs_direct_p99") ?? double.NaN, 1.5);
        targets["first_packet_1000_vs_10_services"] = new(Ratio(result, "first_packet_ms_at_1000_services", "first_packet_ms_at_10_services") ?? double.NaN, 1.2);
        result.Add("targets", targets);
        result.Add("notes", new[]
        {
            "create_/docker_dnsrr_create_converged_ms: until the CLI returned; it holds converged tasks for UpdateConfig.Monitor (5 s by default, on both) before it prints 'Service ID converged'. _tasks_running_ms: until it first printed that they converged (before the hold).",
            "create: Berth, 3 nodes, VIP on an overlay (create_dnsrr: the same with dnsrr); docker_dnsrr_create: Docker 20.10, one node, dnsrr on an overlay (its VIPs do not work on this kernel). The same image and command (busybox httpd), --stop-grace-period 1s on both.",
            "HTTP: every way spreads its requests over the same kind of two tasks, one per worker. vip: from a container on node1 (sockets made in its namespace) to the VIP; direct: the same client to the two tasks' overlay addresses in turn. vip_vs_direct_p99 and mesh_vs_direct_p99: medians of the per-round ratios (rounds alternate).",
            "mesh: from a LAN host (no node) to the port published in ingress mode on node1, which runs no task: DNAT there, then across the ingress overlay to a worker. mesh_direct: the same client to a port published with mode=host by a global service on the workers, node2 and node3 in turn: each node's DNAT to its own task, no routing mesh, no overlay.",
            "first_packet_ms_at_N_services: median TCP handshake from the client container through the VIP to port 9000 (a listener of the bench in each task's namespace, never slow to accept) while N services (N-1 with --replicas 0) are on the overlay, once the lab's berthds and etcd are quiet (settled_ms); _direct_: the same to a task's address, taken in turns with it; _at_10_services_after: with the 990 removed again.",
        });
    }

    private static double? Ratio(BenchResult result, string name, string baseline) =>
        result.Number(name) is { } value && result.Number(baseline) is { } of && of > 0 ? Math.Round(value / of, 3) : null;
}
