using Berth.Api.Http;
using Berth.Cluster.Services;

namespace Berth.Api.Services;

/// <summary>
/// <c>GET /services?filters=</c> (moby <c>daemon/cluster/services.go</c> and swarmkit's list filters): <c>id</c> and
/// <c>name</c> prefixes, <c>label</c> (<c>k</c> or <c>k=v</c>, all must match), <c>mode</c> (<c>replicated</c>,
/// <c>global</c>, <c>replicated-job</c>, <c>global-job</c>), <c>runtime</c> (every service of Berth's is <c>container</c>).
/// </summary>
internal sealed class ServiceListFilter
{
    /// <summary>What moby adds when no <c>runtime</c> is asked for; the only runtime Berth's services have.</summary>
    public const string ContainerRuntime = "container";

    private static readonly HashSet<string> AcceptedKeys = ["id", "label", "mode", "name", "runtime"];

    private readonly FilterArgs _filters;

    private ServiceListFilter(FilterArgs filters)
    {
        _filters = filters;
    }

    public static ServiceListFilter Create(FilterArgs filters)
    {
        filters.Validate(AcceptedKeys);
        return new ServiceListFilter(filters);
    }

    public bool Matches(ServiceRecord service) =>
        _filters.MatchAny("id", term => service.Id.Value.StartsWith(term, StringComparison.Ordinal))
        && _filters.MatchAny("name", term => service.Spec.Name.StartsWith(term, StringComparison.Ordinal))
        && _filters.MatchLabels("label", service.Spec.Labels)
        && _filters.MatchAny("mode", term => term == ModeName(service.Spec.Mode.Kind))
        && _filters.MatchAny("runtime", term => term == ContainerRuntime);

    private static string ModeName(ServiceModeKind kind) => kind switch
    {
        ServiceModeKind.Global => "global",
        ServiceModeKind.ReplicatedJob => "replicated-job",
        ServiceModeKind.GlobalJob => "global-job",
        _ => "replicated",
    };
}
