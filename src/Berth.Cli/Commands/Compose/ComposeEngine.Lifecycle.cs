using Berth.Cli.Client;
using Berth.Compose.Model;
using Berth.Compose.Planning;

namespace Berth.Cli.Commands.Compose;

public sealed partial class ComposeEngine
{
    /// <summary>
    /// <c>down</c>: stops and removes the project's containers (one-offs too; orphans with <c>--remove-orphans</c>), then
    /// its networks — never an external one — and with <c>-v</c> its named volumes. Best effort: everything is tried, the
    /// failures are reported together.
    /// </summary>
    public async Task DownAsync(ComposeProject project, DownOptions options, CancellationToken cancellationToken)
    {
        var containers = await api.ExistingAsync(project.Name, oneOff: null, cancellationToken).ConfigureAwait(false);
        var orphans = containers.Where(c => !project.Services.ContainsKey(c.Service)).ToList();
        var doomed = options.RemoveOrphans ? containers : [.. containers.Except(orphans)];
        if (!options.RemoveOrphans && orphans.Count > 0)
        {
            Status($"WARNING: Found orphan containers ({string.Join(", ", orphans.Select(o => o.Name))}) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.");
        }

        var errors = new List<string>();
        await Task.WhenAll(doomed.Select(c => LimitedAsync(async () =>
        {
            try
            {
                if (c.Running)
                {
                    await api.StopAsync(c.Id, StopTimeout(project, c.Service, options.TimeoutSeconds), cancellationToken).ConfigureAwait(false);
                    Status($"Stopping {c.Name} ... done");
                }

                await api.RemoveContainerAsync(c.Id, force: true, cancellationToken, volumes: options.Volumes).ConfigureAwait(false);
                Status($"Removing {c.Name} ... done");
            }
            catch (DaemonErrorException e)
            {
                lock (errors)
                {
                    errors.Add($"ERROR: for {c.Name}  {e.Message}");
                }
            }
        }, cancellationToken))).ConfigureAwait(false);

        foreach (var network in project.Networks.Values.Where(n => !n.External))
        {
            try
            {
                if (await api.RemoveNetworkAsync(network.Name, cancellationToken).ConfigureAwait(false))
                {
                    Status($"Removing network {network.Name}");
                }
            }
            catch (DaemonErrorException e)
            {
                errors.Add($"ERROR: network {network.Name}: {e.Message}");
            }
        }

        if (options.Volumes)
        {
            await RemoveVolumesAsync(ComposePlanner.Volumes(project), errors, cancellationToken).ConfigureAwait(false);
        }

        if (errors.Count > 0)
        {
            throw new StatusException(ExitCodes.Failure, string.Join('\n', errors));
        }
    }

    /// <summary><c>start</c>: the stopped containers of <paramref name="services"/> (all when empty), dependencies first.</summary>
    public async Task StartAsync(ComposeProject project, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        CheckServices(project, services);
        var containers = await ContainersAsync(project, services, cancellationToken).ConfigureAwait(false);
        if (containers.Count == 0)
        {
            throw new StatusException(ExitCodes.Failure, "no containers to start; create them with berth compose up");
        }

        foreach (var service in StartOrder(project))
        {
            await Task.WhenAll(containers.Where(c => c.Service == service && !c.Running).Select(c => LimitedAsync(async () =>
            {
                await api.StartAsync(c.Id, cancellationToken).ConfigureAwait(false);
                Status($"Starting {c.Name} ... done");
            }, cancellationToken))).ConfigureAwait(false);
        }
    }

    /// <summary><c>stop</c>: the running containers of <paramref name="services"/> (all when empty), dependents first.</summary>
    public async Task StopAsync(ComposeProject project, IReadOnlyList<string> services, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        CheckServices(project, services);
        var containers = await ContainersAsync(project, services, cancellationToken).ConfigureAwait(false);
        foreach (var service in StartOrder(project).Reverse().Concat(containers.Select(c => c.Service).Where(s => !project.Services.ContainsKey(s)).Distinct()))
        {
            await Task.WhenAll(containers.Where(c => c.Service == service && c.Running).Select(c => LimitedAsync(async () =>
            {
                await api.StopAsync(c.Id, StopTimeout(project, c.Service, timeoutSeconds), cancellationToken).ConfigureAwait(false);
                Status($"Stopping {c.Name} ... done");
            }, cancellationToken))).ConfigureAwait(false);
        }
    }

    /// <summary><c>restart</c>: every container of <paramref name="services"/> (all when empty), in start order.</summary>
    public async Task RestartAsync(ComposeProject project, IReadOnlyList<string> services, int? timeoutSeconds, CancellationToken cancellationToken)
    {
        CheckServices(project, services);
        var containers = await ContainersAsync(project, services, cancellationToken).ConfigureAwait(false);
        foreach (var service in StartOrder(project))
        {
            await Task.WhenAll(containers.Where(c => c.Service == service).Select(c => LimitedAsync(async () =>
            {
                await api.RestartAsync(c.Id, StopTimeout(project, c.Service, timeoutSeconds), cancellationToken).ConfigureAwait(false);
                Status($"Restarting {c.Name} ... done");
            }, cancellationToken))).ConfigureAwait(false);
        }
    }

    /// <summary>The services in start order; a project with a cycle was refused before anything ran, so none is lost here.</summary>
    private static IEnumerable<string> StartOrder(ComposeProject project)
    {
        var order = DependencyOrder.Sort(project.Services, out var cycle);
        return order.IsEmpty ? cycle : order;
    }
}
