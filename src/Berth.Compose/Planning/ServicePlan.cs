using System.Collections.Immutable;
using Berth.Api.Contracts;
using Berth.Compose.Model;

namespace Berth.Compose.Planning;

/// <summary>
/// One service as the daemon will see it: the containers' create request (built fresh per container by
/// <see cref="CreateRequest"/>), the networks connected before start, its config hash, scale and what it waits for.
/// </summary>
public sealed record ServicePlan
{
    public required string Name { get; init; }

    public required ComposeService Service { get; init; }

    public required string ProjectName { get; init; }

    public required string Image { get; init; }

    /// <summary>
    /// sha256 of the resolved container config (create request without the per-container labels, the connects, the image
    /// id): a container whose <c>com.docker.compose.config-hash</c> equals it needs nothing done.
    /// </summary>
    public required string ConfigHash { get; init; }

    public int Scale { get; init; } = 1;

    public ImmutableArray<ServiceDependency> DependsOn { get; init; } = [];

    /// <summary><c>network_mode: service:X</c>: X, whose first container's namespace this one joins (<c>container:&lt;id&gt;</c>).</summary>
    public string? NetworkModeService { get; init; }

    /// <summary>The Docker name of the network the containers are created on; null with <c>network_mode</c>.</summary>
    public string? FirstNetwork { get; init; }

    /// <summary>Every network the containers join: <see cref="FirstNetwork"/>, then <see cref="Connects"/>.</summary>
    public IEnumerable<string> NetworkNames => Connects.Select(c => c.Network).Prepend(FirstNetwork).OfType<string>();

    /// <summary>The networks after the first, connected between create and start.</summary>
    public ImmutableArray<NetworkConnectPlan> Connects { get; init; } = [];

    /// <summary><c>stop_grace_period</c> in whole seconds (Docker's <c>t</c>); null: the daemon's default (10 s).</summary>
    public int? StopTimeoutSeconds { get; init; }

    /// <summary>The labels every container of the service carries, apart from number, oneoff and hash.</summary>
    public ImmutableSortedDictionary<string, string> BaseLabels { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>What <see cref="CreateRequest"/> starts from; never handed out (the contract types are mutable).</summary>
    internal Func<ContainerCreateRequest> Template { get; init; } = () => throw new InvalidOperationException("a ServicePlan is made by ComposePlanner");

    /// <summary>The name of container <paramref name="number"/>: <c>container_name</c>, else <c>PROJECT_SERVICE_N</c>.</summary>
    public string ContainerName(int number) => Service.ContainerName ?? ComposeNames.Container(ProjectName, Name, number);

    /// <summary>
    /// The body of <c>POST /containers/create</c> for container <paramref name="number"/> (a one-off when
    /// <paramref name="oneOff"/>: no aliases, no number). <paramref name="networkModeContainer"/> is the id of
    /// <see cref="NetworkModeService"/>'s first container when the service has one.
    /// </summary>
    public ContainerCreateRequest CreateRequest(int number, bool oneOff = false, string? networkModeContainer = null)
    {
        if (NetworkModeService is not null && networkModeContainer is null)
        {
            throw new ArgumentException($"service \"{Name}\" shares the network namespace of service \"{NetworkModeService}\": its container id is needed", nameof(networkModeContainer));
        }

        var request = Template();
        var labels = request.Labels ?? [];
        labels[ComposeLabels.OneOff] = oneOff ? ComposeNames.True : ComposeNames.False;
        labels[ComposeLabels.ConfigHash] = ConfigHash;
        if (!oneOff)
        {
            labels[ComposeLabels.ContainerNumber] = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        request.Labels = new Dictionary<string, string>(labels.OrderBy(l => l.Key, StringComparer.Ordinal));
        if (NetworkModeService is not null)
        {
            request.HostConfig!.NetworkMode = "container:" + networkModeContainer;
        }

        if (oneOff && request.NetworkingConfig?.EndpointsConfig is { } endpoints)
        {
            foreach (var endpoint in endpoints.Values)
            {
                endpoint?.Aliases = null;
            }
        }

        return request;
    }
}
