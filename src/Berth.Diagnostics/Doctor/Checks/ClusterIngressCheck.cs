using System.Net;
using Berth.Cluster.Services;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// The routing mesh: a port a service publishes in ingress mode must answer on every node, also those without a task.
/// While the service has running tasks, a TCP connect to each live node's address on the port must complete; a node
/// where it does not is named, with what the connect saw. Managers only (they know the services).
/// </summary>
public sealed class ClusterIngressCheck : IDoctorCheck
{
    private const string Check = "cluster ingress";

    public string Area => "cluster";

    public async Task<IReadOnlyList<DoctorFinding>> RunAsync(DiagnosticSources sources, DoctorScope scope, CancellationToken cancellationToken)
    {
        if (await ClusterPublished.LoadAsync(sources, scope, PublishMode.Ingress, cancellationToken).ConfigureAwait(false) is not { } published)
        {
            return [];
        }

        var findings = await Task.WhenAll(published.Ports.Select(p => ProbeAsync(published.Peers, p.Service, p.Port, cancellationToken))).ConfigureAwait(false);
        return [.. findings.SelectMany(f => f)];
    }

    private static async Task<IReadOnlyList<DoctorFinding>> ProbeAsync(ClusterPeers peers, ServiceView service, ServicePort port, CancellationToken cancellationToken)
    {
        string name = service.Record.Spec.Name;
        string subject = ClusterPublished.Subject(service, port);
        if (port.Protocol != PortProtocol.Tcp)
        {
            return [DoctorFinding.Ok(Check, subject, $"not probed: {port.Protocol.ToString().ToUpperInvariant()} has no handshake to see an answer by")];
        }

        if (service.RunningTasks == 0)
        {
            return [ClusterPublished.NoTask(Check, service, port)];
        }

        var live = peers.Nodes.Where(n => !n.Down && IPAddress.TryParse(n.Address, out _)).ToList();
        var outcomes = await Task.WhenAll(live.Select(n => ClusterProbes.TcpAsync(IPAddress.Parse(n.Address), port.PublishedPort, cancellationToken))).ConfigureAwait(false);
        var failed = live.Zip(outcomes).Where(p => p.Second != ClusterPortOutcome.Answered).ToList();
        var down = peers.Nodes.Where(n => n.Down).Select(n => n.Subject).ToList();
        string skipped = down.Count == 0 ? "" : $" ({string.Join(", ", down)} down: not probed)";
        if (failed.Count == 0)
        {
            return [DoctorFinding.Ok(Check, subject, $"answers on all {live.Count} live nodes ({service.RunningTasks} running task{(service.RunningTasks == 1 ? "" : "s")}){skipped}")];
        }

        return [.. failed.Select(p => DoctorFinding.Problem(Check, subject,
            $"does not answer on {p.First.Subject}: {ClusterProbes.Describe(p.Second)}; {name} has {service.RunningTasks} running task{(service.RunningTasks == 1 ? "" : "s")}, so every node should",
            p.Second == ClusterPortOutcome.Refused
                ? $"nft list table ip berth-ingress  # on {p.First.Address}: no DNAT for {port.PublishedPort} there; restart berthd on it"
                : $"nft -a list ruleset | grep -w {port.PublishedPort}  # on {p.First.Address}: delete the rule that drops tcp dport {port.PublishedPort} (nft delete rule FAMILY TABLE CHAIN handle N), or open it to {p.First.Address} in the firewall on the way"))];
    }
}
