using System.Collections.Immutable;

namespace Berth.Compose.Model;

/// <summary>
/// A service's <c>deploy:</c>, as written. <c>berth compose</c> acts only on <c>replicas</c> and <c>restart_policy</c>
/// (through <see cref="ComposeService.Scale"/> and <see cref="ComposeService.Restart"/>); <c>berth stack</c> on all of it.
/// </summary>
public sealed record ComposeDeploy
{
    /// <summary><c>replicated</c>, <c>global</c>, <c>replicated-job</c> or <c>global-job</c>; null: replicated.</summary>
    public string? Mode { get; init; }

    /// <summary>Null when not written (a swarm then runs one).</summary>
    public ulong? Replicas { get; init; }

    /// <summary>The service's own labels (a container's are the service's <c>labels:</c>).</summary>
    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary><c>vip</c> or <c>dnsrr</c>; null: the daemon's default (vip).</summary>
    public string? EndpointMode { get; init; }

    public ComposePlacement Placement { get; init; } = new();

    public ComposeRestartPolicy? RestartPolicy { get; init; }

    public ComposeUpdateConfig? UpdateConfig { get; init; }

    public ComposeUpdateConfig? RollbackConfig { get; init; }

    public ComposeResources Resources { get; init; } = new();
}
