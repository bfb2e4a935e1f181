using System.Net;
using Berth.Cluster.Services;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// Ports published in host mode answer only on the nodes where the service's tasks run (no routing mesh): a client that
/// expects the port on every node finds it closed elsewhere. Each node with a running task is probed (TCP); the live
/// nodes without one are listed in a warning with the change that makes the port answer everywhere. Managers only.
/// </summary>
public sealed class ClusterHostPortsCheck : IDoctorCheck
{
    private const string Check = "cluster host ports";

    public string Area => "cluster";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken)
    {
        if (await ClusterPublished.LoadAsync(sources, scope, PublishMode.Host, cancellationToken).ConfigureAwait(false) is not { } published)
        {
            return [];
        }

        var findings = await Task.WhenAll(published.Ports.GroupBy(p => p.Service.Record.Id)
            .Select(g => ServiceAsync(published, g.First().Service, [.. g.Select(p => p.Port)], cancellationToken))).ConfigureAwait(false);
        return [.. findings.SelectMany(f => f)];
    }

    private static async Task<IReadOnlyList<DoctorFinding>> ServiceAsync(ClusterPublished published, ServiceView service, List<ServicePort> ports, CancellationToken cancellationToken)
    {
        string name = service.Record.Spec.Name;
        var tasks = await published.Services.ListTasksAsync(new TaskFilter { Services = [service.Record.Id.Value], DesiredStates = [TaskState.Running.Name()] }, cancellationToken).ConfigureAwait(false);
        var running = tasks.Where(t => t.State == TaskState.Running && t.Record.Node is not null).Select(t => t.Record.Node!.Value.Value).ToHashSet(StringComparer.Ordinal);
        var withTask = published.Peers.Nodes.Where(n => running.Contains(n.Id)).ToList();
        var without = published.Peers.Nodes.Where(n => !n.Down && !running.Contains(n.Id)).ToList();
        var findings = new List<DoctorFinding>();
        foreach (var port in ports)
        {
            string subject = ClusterPublished.Subject(service, port);
            if (withTask.Count == 0)
            {
                findings.Add(ClusterPublished.NoTask(Check, service, port));
                continue;
            }

            var silent = port.Protocol == PortProtocol.Tcp ? await SilentAsync(withTask, port.PublishedPort, cancellationToken).ConfigureAwait(false) : [];
            findings.AddRange(silent.Select(s => DoctorFinding.Problem(Check, subject,
                $"its task on {s.Node.Subject} does not answer: {ClusterProbes.Describe(s.Outcome)}",
                s.Outcome == ClusterPortOutcome.Refused
                    ? $"docker service ps {name}  # the task runs but does not listen on its target port {port.TargetPort}"
                    : $"nft -a list ruleset | grep -w {port.PublishedPort}  # on {s.Node.Address}: delete the rule that drops it")));
            string where = string.Join(", ", withTask.Select(n => n.Subject));
            findings.Add(without.Count == 0
                ? DoctorFinding.Ok(Check, subject, $"published in host mode and a task runs on every live node ({where})")
                : DoctorFinding.Warning(Check, subject,
                    $"published in host mode: answers only on {where}, where its tasks run; not on {string.Join(", ", without.Select(n => n.Subject))}",
                    $"docker service update --publish-rm {port.TargetPort} --publish-add published={port.PublishedPort},target={port.TargetPort} {name}  # ingress mode: every node answers"));
        }

        return findings;
    }

    private static async Task<List<(ClusterNode Node, ClusterPortOutcome Outcome)>> SilentAsync(List<ClusterNode> nodes, int port, CancellationToken cancellationToken)
    {
        var outcomes = await Task.WhenAll(nodes.Select(n => IPAddress.TryParse(n.Address, out var address)
            ? ClusterProbes.TcpAsync(address, port, cancellationToken)
            : Task.FromResult(ClusterPortOutcome.Answered))).ConfigureAwait(false);
        return [.. nodes.Zip(outcomes).Where(p => p.Second != ClusterPortOutcome.Answered)];
    }
}
