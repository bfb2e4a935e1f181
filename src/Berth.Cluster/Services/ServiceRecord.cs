using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Berth.Cluster.Identity;

namespace Berth.Cluster.Services;

/// <summary>
/// <c>swarm/services/&lt;id&gt;</c>: a service as the managers keep it. <c>Version.Index</c> is the record's mod
/// revision (an update names it: compare-and-swap). <see cref="SpecVersion"/> counts spec changes; a task made from an
/// older one is out of date (the CLI's <c>_up-to-date</c> filter, the rolling update's work list).
/// </summary>
public sealed record ServiceRecord
{
    public required ServiceId Id { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required ServiceSpec Spec { get; init; }

    public ServiceSpec? PreviousSpec { get; init; }

    public long SpecVersion { get; init; } = 1;

    /// <summary>The ports as published: ingress ports given a number when the spec left it 0.</summary>
    public ImmutableArray<ServicePort> Ports { get; init; } = [];

    /// <summary>One virtual IP per network of a <see cref="EndpointMode.Vip"/> service (and on <c>ingress</c> when a port is published there).</summary>
    public ImmutableArray<ServiceVirtualIp> VirtualIps { get; init; } = [];

    /// <summary>
    /// The ingress network the service publishes through: the network of a VIP its tasks' networks do not name (only the
    /// ingress network's VIP is claimed that way); null when it publishes no ingress port.
    /// </summary>
    [JsonIgnore]
    public string? IngressNetwork => VirtualIps.Select(v => v.NetworkId).FirstOrDefault(n => Spec.Task.Networks.All(t => t.Target != n));

    /// <summary>The last or current rolling update (or rollback); null before the first.</summary>
    public ServiceUpdateStatus? UpdateStatus { get; init; }
}

/// <summary>A service's address on one network, as CIDR (<c>10.0.1.2/24</c>, Docker's form).</summary>
public sealed record ServiceVirtualIp(string NetworkId, string Address);

public enum ServiceUpdateState
{
    Updating,
    Paused,
    Completed,
    RollbackStarted,
    RollbackPaused,
    RollbackCompleted,
}

/// <summary>Docker's <c>UpdateStatus</c>.</summary>
public sealed record ServiceUpdateStatus(ServiceUpdateState State, DateTimeOffset StartedAt)
{
    public DateTimeOffset? CompletedAt { get; init; }

    public string Message { get; init; } = "";
}
