using Berth.Cluster.Services;

namespace Berth.Diagnostics.Doctor.Checks;

/// <summary>
/// What the published-port checks look at: on a manager and for the whole scope, the swarm's nodes and every port the
/// services publish in one mode (a number given), by service name then port; null where they have nothing to check.
/// </summary>
public sealed record ClusterPublished(ClusterPeers Peers, IServices Services, IReadOnlyList<(ServiceView Service, ServicePort Port)> Ports)
{
    public static async Task<ClusterPublished?> LoadAsync(DiagnosticSources sources, DoctorScope scope, PublishMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(scope);
        if (!scope.IsEverything || sources.Services is not { } services
            || await ClusterPeers.LoadAsync(sources, cancellationToken).ConfigureAwait(false) is not { IsManager: true } peers)
        {
            return null;
        }

        var ports = (await services.ListAsync(cancellationToken).ConfigureAwait(false))
            .SelectMany(s => s.Record.Ports.Where(p => p.Mode == mode && p.PublishedPort > 0).Select(p => (Service: s, Port: p)))
            .OrderBy(p => p.Service.Record.Spec.Name, StringComparer.Ordinal).ThenBy(p => p.Port.PublishedPort)
            .ToList();
        return new ClusterPublished(peers, services, ports);
    }

    /// <summary>How findings name a published port: <c>web 8080/tcp</c>.</summary>
    public static string Subject(ServiceView service, ServicePort port)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(port);
        return $"{service.Record.Spec.Name} {port.PublishedPort}/{port.Protocol.ToString().ToLowerInvariant()}";
    }

    /// <summary>A service with nothing running publishes a port that answers nowhere.</summary>
    public static DoctorFinding NoTask(string check, ServiceView service, ServicePort port)
    {
        ArgumentNullException.ThrowIfNull(service);
        string name = service.Record.Spec.Name;
        return DoctorFinding.Warning(check, Subject(service, port), $"{name} has no running task: the port answers on no node", $"docker service ps {name}");
    }
}
