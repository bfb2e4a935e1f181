using System.Collections.Immutable;
using Berth.Cli.Client;
using Berth.Cli.Commands.Containers;
using Berth.Compose.Model;
using Berth.Compose.Planning;

namespace Berth.Cli.Commands.Compose;

/// <summary>
/// Runs compose plans against the daemon through the Docker API, as docker-compose 1.29 does (docs/docker-api.md §4):
/// networks first, then each service once what it depends on is started, healthy or completed; containers found by the
/// project's labels, so docker-compose's count as well. Progress lines go to stderr, one at a time.
/// Phases: <c>.Up</c> (converge), <c>.Dependencies</c> (depends_on conditions and <c>--wait</c>), <c>.Lifecycle</c>
/// (down, start, stop, restart), <c>.Logs</c> (prefixed log streams).
/// </summary>
public sealed partial class ComposeEngine
{
    /// <summary>Container operations (create, start, stop, remove) in flight at once across all services.</summary>
    private const int MaxConcurrentContainerOperations = 8;

    /// <summary>What <c>up</c> returns after Ctrl-C: 128 + SIGINT (2), as a shell reports it.</summary>
    public const int InterruptedExitCode = 130;

    private readonly CommandContext context;
    private readonly ComposeApi api;
    private readonly Lock outputGate = new();
    private readonly SemaphoreSlim operations = new(MaxConcurrentContainerOperations);

    public ComposeEngine(CommandContext context)
    {
        this.context = context;
        api = new ComposeApi(context.Client);
    }

    /// <summary>Refuses a project the engine cannot run (no image, undefined volumes, cycles…), every problem at once, before anything is made.</summary>
    public static void Validate(ComposeProject project)
    {
        var problems = ComposePlanner.Problems(project);
        if (!problems.IsEmpty)
        {
            throw new StatusException(ExitCodes.Failure, string.Join('\n', problems));
        }
    }

    /// <summary>
    /// Each image's id: images of services with <c>build:</c> built as <paramref name="policy"/> says, the others pulled
    /// when the daemon does not have them.
    /// </summary>
    public async Task<ImmutableDictionary<string, string>> EnsureImagesAsync(IEnumerable<ComposeService> services, BuildPolicy policy, CancellationToken cancellationToken)
    {
        var ids = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var service in services.Where(s => s.Image is not null).DistinctBy(s => s.Image))
        {
            var image = service.Image!;
            var id = policy == BuildPolicy.Always && service.Build is not null ? null : await api.ImageIdAsync(image, cancellationToken).ConfigureAwait(false);
            if (id is null && service.Build is { } build)
            {
                if (policy == BuildPolicy.Never)
                {
                    throw new StatusException(ExitCodes.Failure, $"Service {service.Name} needs to be built, but --no-build was passed.");
                }

                await BuildAsync(service, build, BuildOptions.Default, cancellationToken).ConfigureAwait(false);
                if (policy == BuildPolicy.Missing)
                {
                    Status($"WARNING: Image for service {service.Name} was built because it did not already exist. To rebuild this image you must use `berth compose build` or `berth compose up --build`.");
                }
            }
            else if (id is null)
            {
                Status($"Pulling {service.Name} ({image})...");
                await ImagePull.PullAsync(context, image, cancellationToken).ConfigureAwait(false);
            }

            ids[image] = id ?? await api.ImageIdAsync(image, cancellationToken).ConfigureAwait(false)
                ?? throw new StatusException(ExitCodes.Failure, $"image {image} of service \"{service.Name}\" is still missing after the {(service.Build is null ? "pull" : "build")}");
        }

        return ids.ToImmutable();
    }

    /// <summary>
    /// Makes the project's networks that are missing; checks that external ones exist and that existing ones match the
    /// file (driver, options, internal, IPv6), as docker-compose does, naming what differs.
    /// </summary>
    public async Task EnsureNetworksAsync(ProjectPlan plan, IEnumerable<NetworkPlan> networks, CancellationToken cancellationToken)
    {
        foreach (var network in networks)
        {
            var existing = await api.NetworkAsync(network.Name, cancellationToken).ConfigureAwait(false);
            if (network.External)
            {
                if (existing is null)
                {
                    throw new StatusException(ExitCodes.Failure,
                        $"Network {network.Name} declared as external, but could not be found. Please create the network manually using `berth network create {network.Name}` and try again.");
                }

                continue;
            }

            if (existing is not null)
            {
                var differences = network.Differences(existing);
                if (!differences.IsEmpty)
                {
                    throw new StatusException(ExitCodes.Failure,
                        $"Network \"{network.Name}\" of project {plan.ProjectName} needs to be recreated: {string.Join("; ", differences)}. Run `berth compose down` (or `berth network rm {network.Name}`) and then up again.");
                }

                continue;
            }

            var driver = network.Create!.Driver;
            Status($"Creating network \"{network.Name}\" with " + (driver is null ? "the default driver" : $"driver \"{driver}\""));
            await api.CreateNetworkAsync(network.Create, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The project's service containers (no one-offs), in service and number order.</summary>
    public async Task<List<ExistingContainer>> ContainersAsync(ComposeProject project, IReadOnlyCollection<string>? services, CancellationToken cancellationToken)
    {
        var all = await api.ExistingAsync(project.Name, oneOff: false, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(c => services is null || services.Count == 0 || services.Contains(c.Service))
            .OrderBy(c => c.Service, StringComparer.Ordinal).ThenBy(c => c.Number).ThenBy(c => c.Name, StringComparer.Ordinal)];
    }

    /// <summary>Checks that every name is a service of the project.</summary>
    public static void CheckServices(ComposeProject project, IEnumerable<string> services)
    {
        var unknown = services.Where(s => !project.Services.ContainsKey(s)).ToList();
        if (unknown.Count > 0)
        {
            throw new StatusException(ExitCodes.Failure, $"no such service: {string.Join(", ", unknown)}");
        }
    }

    /// <summary>The <c>t</c> for stopping a container of <paramref name="service"/>: <c>-t</c>, else its <c>stop_grace_period</c>.</summary>
    private static int? StopTimeout(ComposeProject project, string service, int? given) =>
        given ?? (project.Services.TryGetValue(service, out var s) && s.StopGracePeriod is { } grace ? (int)Math.Ceiling(grace.TotalSeconds) : null);

    /// <summary>One progress line to stderr; lines from parallel work never interleave.</summary>
    private void Status(string line)
    {
        lock (outputGate)
        {
            context.Err.WriteLine(line);
            context.Err.Flush();
        }
    }

    private async Task<T> LimitedAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        await operations.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await operation().ConfigureAwait(false);
        }
        finally
        {
            operations.Release();
        }
    }

    private Task LimitedAsync(Func<Task> operation, CancellationToken cancellationToken) =>
        LimitedAsync(async () =>
        {
            await operation().ConfigureAwait(false);
            return true;
        }, cancellationToken);
}
