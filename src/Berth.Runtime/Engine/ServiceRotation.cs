using Berth.Core.Containers;
using Berth.Core.Errors;
using Berth.Network.Endpoints;
using Microsoft.Extensions.Logging;

namespace Berth.Runtime.Engine;

/// <summary>
/// A swarm task container's place in its service's rotation (VIP backends, <c>tasks.NAME</c>, dnsrr answers) follows its
/// health, as Docker's service binding does: without a healthcheck it is in from its start; with one it starts out and
/// comes in at its first healthy probe, goes out when unhealthy and back when healthy again. <c>starting</c> changes
/// nothing: out at a start, and after a berthd restart (whose monitors begin from <c>starting</c> again, as moby's do)
/// as the endpoint's record kept it until the first probe says otherwise. Containers that are no service's task are
/// never touched.
/// </summary>
/// <remarks>
/// Applied after every probe, not only when the status changes: the call is idempotent and cheap when nothing is to do
/// (<see cref="EndpointManager.SetInRotationAsync"/>), and a change the store refused is simply made at the next probe.
/// </remarks>
public sealed partial class ServiceRotation(Func<string, bool, CancellationToken, Task> setInRotation, ILogger logger)
{
    public ServiceRotation(EndpointManager endpoints, ILogger logger)
        : this((endpoints ?? throw new ArgumentNullException(nameof(endpoints))).SetInRotationAsync, logger)
    {
    }

    /// <summary>Whether a container's service endpoints are made in rotation at its start: only when it has no healthcheck.</summary>
    public static bool StartsInRotation(Healthcheck? check) => check is null;

    /// <summary>The rotation a health status asks for: healthy in, unhealthy out; null (no change) while starting.</summary>
    public static bool? InRotation(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => true,
        HealthStatus.Unhealthy => false,
        _ => null,
    };

    /// <summary>Whether the container is a service's task: one of its endpoints names a service.</summary>
    public static bool IsServiceTask(ContainerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.EffectiveEndpoints().Any(endpoint => endpoint.ServiceId is not null);
    }

    /// <summary>What the monitor of <paramref name="record"/> calls after each probe; null for a container that is no service's task.</summary>
    public Func<HealthState, CancellationToken, Task>? FollowerOf(ContainerRecord record) =>
        IsServiceTask(record) ? (state, cancellationToken) => ApplyAsync(record.Id, state, cancellationToken) : null;

    /// <summary>Puts the container's endpoints in or out of rotation as <paramref name="state"/> asks; a failure is logged and retried at the next probe.</summary>
    public async Task ApplyAsync(ContainerId container, HealthState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (InRotation(state.Status) is not { } inRotation)
        {
            return;
        }

        try
        {
            await setInRotation(container.Value, inRotation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BerthException or IOException)
        {
            RotationFailed(logger, container, inRotation ? "into" : "out of", e.Message);
        }
    }

    [LoggerMessage(EventId = 5321, Level = LogLevel.Warning, Message = "container {Id}: moving it {Direction} its service's rotation failed, tried again at its next probe: {Message}")]
    private static partial void RotationFailed(ILogger logger, ContainerId id, string direction, string message);
}
