using System.Collections.Immutable;
using Berth.Cluster.Services;

namespace Berth.Api.Services;

/// <summary>
/// Docker's service and task shapes (moby <c>api/types/swarm</c>) ↔ the cluster's model. Reading a request checks
/// what the shape alone can tell (unknown names, ranges, negative durations) and fills Docker's defaults where the
/// model has no "unset" (<c>Replicas</c> 1, protocol tcp, publish mode ingress, endpoint mode vip); writing shows
/// what Docker shows, so every field the model keeps goes in and comes back out unchanged. The spec checks that need
/// the store (names in use, networks, ports) are the manager's.
/// </summary>
internal static partial class ServiceContractMapper
{
    /// <summary>Go's <c>time.Duration</c> counts nanoseconds; a tick is 100 of them.</summary>
    private const long NanosecondsPerTick = 100;

    /// <summary>swarmkit <c>api/defaults.Service</c>: a container's stop grace period when the spec gives none.</summary>
    private static readonly TimeSpan DefaultStopGracePeriod = TimeSpan.FromSeconds(10);

    private static readonly (string Name, RestartCondition Value)[] RestartConditions =
        [("none", RestartCondition.None), ("on-failure", RestartCondition.OnFailure), ("any", RestartCondition.Any)];

    private static readonly (string Name, UpdateFailureAction Value)[] FailureActions =
        [("pause", UpdateFailureAction.Pause), ("continue", UpdateFailureAction.Continue), ("rollback", UpdateFailureAction.Rollback)];

    private static readonly (string Name, UpdateOrder Value)[] UpdateOrders =
        [("stop-first", UpdateOrder.StopFirst), ("start-first", UpdateOrder.StartFirst)];

    private static readonly (string Name, EndpointMode Value)[] EndpointModes =
        [("vip", EndpointMode.Vip), ("dnsrr", EndpointMode.Dnsrr)];

    private static readonly (string Name, PortProtocol Value)[] Protocols =
        [("tcp", PortProtocol.Tcp), ("udp", PortProtocol.Udp), ("sctp", PortProtocol.Sctp)];

    private static readonly (string Name, PublishMode Value)[] PublishModes =
        [("ingress", PublishMode.Ingress), ("host", PublishMode.Host)];

    private static readonly (string Name, ServiceUpdateState Value)[] UpdateStates =
    [
        ("updating", ServiceUpdateState.Updating), ("paused", ServiceUpdateState.Paused), ("completed", ServiceUpdateState.Completed),
        ("rollback_started", ServiceUpdateState.RollbackStarted), ("rollback_paused", ServiceUpdateState.RollbackPaused),
        ("rollback_completed", ServiceUpdateState.RollbackCompleted),
    ];

    /// <summary>The mount types a service's container can have (<c>--mount type=…</c>).</summary>
    private static readonly ImmutableArray<string> MountTypes = ["bind", "volume", "tmpfs"];

    private static string NameOf<T>((string Name, T Value)[] choices, T value)
        where T : struct, Enum =>
        choices.First(choice => EqualityComparer<T>.Default.Equals(choice.Value, value)).Name;

    private static long Nanoseconds(TimeSpan duration) => duration.Ticks * NanosecondsPerTick;

    private static TimeSpan FromNanoseconds(long nanoseconds) => TimeSpan.FromTicks(nanoseconds / NanosecondsPerTick);
}
