using Berth.Api.Contracts;
using Berth.Compose.Model;

namespace Berth.Cli.Commands.Compose;

public sealed partial class ComposeEngine
{
    /// <summary>How often a container's state is read while waiting for it to be healthy, ready or finished.</summary>
    private static readonly TimeSpan StatePollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Waits until <paramref name="dependency"/>'s containers meet its condition: started (already so), healthy (its
    /// healthcheck passed), or completed successfully (exited 0). A dependency that turns unhealthy, exits while it should
    /// run, or exits non-zero fails the wait with the reason.
    /// </summary>
    private async Task WaitForConditionAsync(ServiceDependency dependency, IReadOnlyList<ServiceContainer> containers, CancellationToken cancellationToken)
    {
        if (dependency.Condition == DependencyCondition.Started)
        {
            return;
        }

        foreach (var container in containers)
        {
            while (true)
            {
                var state = (await api.InspectAsync(container.Id, cancellationToken).ConfigureAwait(false)).State;
                if (dependency.Condition == DependencyCondition.Healthy ? IsHealthy(container, state) : HasCompleted(dependency.Service, container, state))
                {
                    break;
                }

                await Task.Delay(StatePollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// <c>up --wait</c>: every container running, and healthy when it has a healthcheck. One that exits or turns unhealthy
    /// fails the wait, unless it is a one-shot another service waits on to complete (it exited 0).
    /// </summary>
    public async Task WaitReadyAsync(ComposeProject project, IReadOnlyList<ServiceContainer> containers, CancellationToken cancellationToken)
    {
        var oneShots = project.Services.Values.SelectMany(s => s.DependsOn)
            .Where(d => d.Condition == DependencyCondition.CompletedSuccessfully).Select(d => d.Service).ToHashSet(StringComparer.Ordinal);
        foreach (var container in containers)
        {
            while (true)
            {
                var state = (await api.InspectAsync(container.Id, cancellationToken).ConfigureAwait(false)).State;
                if (oneShots.Contains(container.Service) && !state.Running && !state.Restarting)
                {
                    _ = HasCompleted(container.Service, container, state);
                    break;
                }

                if (state.Health is null ? IsRunning(container, state) : IsHealthy(container, state))
                {
                    break;
                }

                await Task.Delay(StatePollInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        Status("All services are ready: " + string.Join(", ", containers.Select(c => c.Name)));
    }

    private static bool IsRunning(ServiceContainer container, ContainerStateInfo state)
    {
        if (!state.Running && !state.Restarting && state.Status is "exited" or "dead")
        {
            throw new StatusException(ExitCodes.Failure, $"container {container.Name} exited ({state.ExitCode})");
        }

        return state.Running;
    }

    private static bool IsHealthy(ServiceContainer container, ContainerStateInfo state)
    {
        if (state.Health is null)
        {
            throw new StatusException(ExitCodes.Failure,
                $"dependency failed to start: container {container.Name} has no healthcheck configured; give service \"{container.Service}\" a healthcheck or depend on it with condition: service_started");
        }

        if (state.Health.Status == "unhealthy")
        {
            var last = state.Health.Log.LastOrDefault();
            var output = last is null ? "" : $" (last probe exited {last.ExitCode}: {last.Output.Trim()})";
            throw new StatusException(ExitCodes.Failure, $"dependency failed to start: container {container.Name} is unhealthy{output}");
        }

        return IsRunning(container, state) && state.Health.Status == "healthy";
    }

    private static bool HasCompleted(string service, ServiceContainer container, ContainerStateInfo state)
    {
        if (state.Running || state.Restarting || state.Status == "created")
        {
            return false;
        }

        if (state.ExitCode != 0)
        {
            throw new StatusException(ExitCodes.Failure, $"service \"{service}\" didn't complete successfully: container {container.Name} exited with code {state.ExitCode}");
        }

        return true;
    }
}
