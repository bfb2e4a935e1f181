using System.Collections.Immutable;
using Berth.Cli.Client;
using Berth.Compose.Model;
using Berth.Compose.Planning;

namespace Berth.Cli.Commands.Compose;

public sealed partial class ComposeEngine
{
    /// <summary>A service's containers once <c>up</c> is through with it; <see cref="Changed"/> when one was (re)created.</summary>
    private sealed record ServiceOutcome(ImmutableArray<ServiceContainer> Containers, bool Changed);

    /// <summary>
    /// <c>up</c>: images, networks, then every selected service converged (kept, started, created or recreated by its config
    /// hash) after its dependencies meet their conditions. A failure stops the services not yet started and is thrown
    /// with its reason. Returns the plan and the containers, in start order.
    /// </summary>
    public async Task<(ProjectPlan Plan, ImmutableArray<ServiceContainer> Containers)> UpAsync(ComposeProject project, UpOptions options, CancellationToken cancellationToken)
    {
        Validate(project);
        CheckServices(project, options.Services);
        var selected = options.Services.Count == 0
            ? project.Services.Keys.ToImmutableHashSet(StringComparer.Ordinal)
            : options.NoDeps ? options.Services.ToImmutableHashSet(StringComparer.Ordinal) : DependencyOrder.WithDependencies(project.Services, options.Services);
        var imageIds = await EnsureImagesAsync(project.Services.Values.Where(s => selected.Contains(s.Name)), options.Build, cancellationToken).ConfigureAwait(false);
        var plan = ComposePlanner.Plan(project, imageIds);
        var services = plan.Services.Where(s => selected.Contains(s.Name)).ToList();
        var networkNames = services.SelectMany(s => s.NetworkNames).ToHashSet(StringComparer.Ordinal);
        await EnsureNetworksAsync(plan, plan.Networks.Where(n => networkNames.Contains(n.Name)), cancellationToken).ConfigureAwait(false);
        await EnsureVolumesAsync(plan, cancellationToken).ConfigureAwait(false);

        var existing = await api.ExistingAsync(project.Name, oneOff: false, cancellationToken).ConfigureAwait(false);
        await HandleOrphansAsync(project, existing, options.RemoveOrphans, cancellationToken).ConfigureAwait(false);
        var containers = await ConvergeAsync(services, existing, options.ForceRecreate, cancellationToken).ConfigureAwait(false);
        return (plan, containers);
    }

    /// <summary>Runs every service's convergence at once, each awaiting its dependencies; the first failure cancels the rest.</summary>
    private async Task<ImmutableArray<ServiceContainer>> ConvergeAsync(
        IReadOnlyList<ServicePlan> services, IReadOnlyList<ExistingContainer> existing, bool forceRecreate, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new Dictionary<string, Task<ServiceOutcome>>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            // Start order puts every dependency first, so its task is already there.
            var dependencies = service.DependsOn.Where(d => tasks.ContainsKey(d.Service)).Select(d => (d, tasks[d.Service])).ToList();
            var shared = service.NetworkModeService is { } x && tasks.TryGetValue(x, out var sharedTask) ? sharedTask : null;
            tasks[service.Name] = RunServiceAsync(service, dependencies, shared, existing, forceRecreate, failed);
        }

        try
        {
            await Task.WhenAll(tasks.Values).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The first real failure, not the cancellations it caused.
            var failure = tasks.Values.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException);
            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }

            throw;
        }

        return [.. services.SelectMany(s => tasks[s.Name].Result.Containers)];
    }

    private async Task<ServiceOutcome> RunServiceAsync(
        ServicePlan service, List<(ServiceDependency Dependency, Task<ServiceOutcome> Outcome)> dependencies, Task<ServiceOutcome>? shared,
        IReadOnlyList<ExistingContainer> existing, bool forceRecreate, CancellationTokenSource failed)
    {
        var cancellationToken = failed.Token;
        try
        {
            foreach (var (dependency, outcome) in dependencies)
            {
                var containers = await outcome.ConfigureAwait(false);
                await WaitForConditionAsync(dependency, containers.Containers, cancellationToken).ConfigureAwait(false);
            }

            string? sharedId = null;
            if (shared is not null)
            {
                var target = await shared.ConfigureAwait(false);
                sharedId = target.Containers.FirstOrDefault()?.Id
                    ?? throw new StatusException(ExitCodes.Failure, $"service \"{service.Name}\" shares the network namespace of service \"{service.NetworkModeService}\", which has no container");
                forceRecreate |= target.Changed;
            }

            var actions = Convergence.Plan(service, existing, forceRecreate, sharedId is null ? null : "container:" + sharedId);
            foreach (var removal in actions.Where(a => a.Kind == ContainerActionKind.Remove))
            {
                await LimitedAsync(() => StopAndRemoveAsync(removal.Existing!, service.StopTimeoutSeconds, cancellationToken), cancellationToken).ConfigureAwait(false);
            }

            var results = await Task.WhenAll(actions.Where(a => a.Kind != ContainerActionKind.Remove)
                .Select(a => LimitedAsync(() => ApplyAsync(service, a, sharedId, cancellationToken), cancellationToken))).ConfigureAwait(false);
            return new ServiceOutcome([.. results.Select(r => r.Container)], results.Any(r => r.Changed));
        }
        catch
        {
            await failed.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<(ServiceContainer Container, bool Changed)> ApplyAsync(ServicePlan service, ContainerAction action, string? sharedId, CancellationToken cancellationToken)
    {
        switch (action.Kind)
        {
            case ContainerActionKind.Keep:
                Status($"{action.Name} is up-to-date");
                return (new ServiceContainer(service.Name, action.Number, action.Existing!.Id, action.Name), false);
            case ContainerActionKind.Start:
                await api.StartAsync(action.Existing!.Id, cancellationToken).ConfigureAwait(false);
                Status($"Starting {action.Name} ... done");
                return (new ServiceContainer(service.Name, action.Number, action.Existing.Id, action.Name), false);
            case ContainerActionKind.Recreate:
                await StopAndRemoveAsync(action.Existing!, service.StopTimeoutSeconds, cancellationToken, quiet: true).ConfigureAwait(false);
                var recreated = await CreateAndStartAsync(service, action.Number, action.Name, sharedId, cancellationToken).ConfigureAwait(false);
                Status($"Recreating {action.Name} ... done");
                return (new ServiceContainer(service.Name, action.Number, recreated, action.Name), true);
            default:
                var created = await CreateAndStartAsync(service, action.Number, action.Name, sharedId, cancellationToken).ConfigureAwait(false);
                Status($"Creating {action.Name} ... done");
                return (new ServiceContainer(service.Name, action.Number, created, action.Name), true);
        }
    }

    /// <summary>docker-compose's order: create on the first network, connect the others while the container is only created, then start.</summary>
    private async Task<string> CreateAndStartAsync(ServicePlan service, int number, string name, string? sharedId, CancellationToken cancellationToken)
    {
        var id = await api.CreateContainerAsync(name, service.CreateRequest(number, networkModeContainer: sharedId), cancellationToken).ConfigureAwait(false);
        await ConnectAsync(service, id, oneOff: false, cancellationToken).ConfigureAwait(false);
        await api.StartAsync(id, cancellationToken).ConfigureAwait(false);
        return id;
    }

    private async Task ConnectAsync(ServicePlan service, string id, bool oneOff, CancellationToken cancellationToken)
    {
        foreach (var connect in service.Connects)
        {
            await api.ConnectAsync(connect.Network, connect.ToRequest(id, service.Name, oneOff), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StopAndRemoveAsync(ExistingContainer container, int? timeoutSeconds, CancellationToken cancellationToken, bool quiet = false)
    {
        if (container.Running)
        {
            await api.StopAsync(container.Id, timeoutSeconds, cancellationToken).ConfigureAwait(false);
        }

        await api.RemoveContainerAsync(container.Id, force: true, cancellationToken).ConfigureAwait(false);
        if (!quiet)
        {
            Status($"Removing {container.Name} ... done");
        }
    }

    /// <summary>Containers of the project whose service the file no longer has: removed with <c>--remove-orphans</c>, else named in a warning.</summary>
    private async Task HandleOrphansAsync(ComposeProject project, IReadOnlyList<ExistingContainer> existing, bool remove, CancellationToken cancellationToken)
    {
        var orphans = existing.Where(c => !project.Services.ContainsKey(c.Service)).ToList();
        if (orphans.Count == 0)
        {
            return;
        }

        if (!remove)
        {
            Status($"WARNING: Found orphan containers ({string.Join(", ", orphans.Select(o => o.Name))}) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.");
            return;
        }

        await Task.WhenAll(orphans.Select(o => LimitedAsync(() => StopAndRemoveAsync(o, null, cancellationToken), cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>Up to the point a one-off container (<c>run</c>) of <paramref name="service"/> needs: its dependencies up, its networks there.</summary>
    internal async Task<(ServicePlan Plan, string? SharedId)> PrepareOneOffAsync(ComposeProject project, string service, bool noDeps, CancellationToken cancellationToken)
    {
        Validate(project);
        CheckServices(project, [service]);
        var dependencies = DependencyOrder.DependenciesOf(project.Services[service]).Distinct(StringComparer.Ordinal).ToList();
        ImmutableArray<ServiceContainer> started = [];
        ProjectPlan plan;
        if (!noDeps && dependencies.Count > 0)
        {
            (plan, started) = await UpAsync(project, new UpOptions(dependencies), cancellationToken).ConfigureAwait(false);
            foreach (var dependency in project.Services[service].DependsOn)
            {
                await WaitForConditionAsync(dependency, [.. started.Where(c => c.Service == dependency.Service)], cancellationToken).ConfigureAwait(false);
            }
        }

        var imageIds = await EnsureImagesAsync([project.Services[service]], BuildPolicy.Missing, cancellationToken).ConfigureAwait(false);
        plan = ComposePlanner.Plan(project, imageIds);
        var servicePlan = plan.Service(service);
        var names = servicePlan.NetworkNames.ToHashSet(StringComparer.Ordinal);
        await EnsureNetworksAsync(plan, plan.Networks.Where(n => names.Contains(n.Name)), cancellationToken).ConfigureAwait(false);
        await EnsureVolumesAsync(plan, cancellationToken).ConfigureAwait(false);
        string? sharedId = null;
        if (servicePlan.NetworkModeService is { } x)
        {
            sharedId = started.FirstOrDefault(c => c.Service == x)?.Id
                ?? (await ContainersAsync(project, [x], cancellationToken).ConfigureAwait(false)).FirstOrDefault(c => c.Running)?.Id
                ?? throw new StatusException(ExitCodes.Failure, $"service \"{service}\" shares the network namespace of service \"{x}\", which is not running; run berth compose up {x} first");
        }

        return (servicePlan, sharedId);
    }

    /// <summary>Creates a one-off container and connects its other networks; the caller starts it.</summary>
    internal async Task<string> CreateOneOffAsync(ServicePlan service, string name, Api.Contracts.ContainerCreateRequest request, CancellationToken cancellationToken)
    {
        var id = await api.CreateContainerAsync(name, request, cancellationToken).ConfigureAwait(false);
        try
        {
            await ConnectAsync(service, id, oneOff: true, cancellationToken).ConfigureAwait(false);
        }
        catch (DaemonErrorException)
        {
            await api.RemoveContainerAsync(id, force: true, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return id;
    }
}
