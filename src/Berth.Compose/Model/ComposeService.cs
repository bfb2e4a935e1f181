using System.Collections.Immutable;

namespace Berth.Compose.Model;

/// <summary>One service of a compose file, in the Compose Specification's terms (legacy v2/v3 files load into the same).</summary>
public sealed record ComposeService
{
    public required string Name { get; init; }

    public string? Image { get; init; }

    /// <summary><c>build:</c>; null when the service only runs <see cref="Image"/>.</summary>
    public ComposeBuild? Build { get; init; }

    /// <summary>Null: the image's. The string form is split as a shell would (Compose's rule).</summary>
    public ImmutableArray<string>? Command { get; init; }

    public ImmutableArray<string>? Entrypoint { get; init; }

    /// <summary><c>environment</c> then <c>env_file</c>s (environment wins); a null value is unset-unless-in-the-shell, resolved at load.</summary>
    public ImmutableSortedDictionary<string, string> Environment { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public ImmutableArray<ComposePort> Ports { get; init; } = [];

    /// <summary><c>expose</c>: container ports (<c>80</c>, <c>80/udp</c>).</summary>
    public ImmutableArray<string> Expose { get; init; } = [];

    /// <summary>
    /// The networks the service joins, highest <c>priority</c> first (then by key): the first is the one it is
    /// created on, the rest are connected before it starts. Empty when <see cref="NetworkMode"/> is set.
    /// A service without <c>networks:</c> joins <c>default</c>.
    /// </summary>
    public ImmutableArray<ServiceNetwork> Networks { get; init; } = [];

    /// <summary><c>network_mode</c>: <c>host</c>, <c>none</c>, <c>service:NAME</c>, <c>container:NAME</c>; null for networks.</summary>
    public string? NetworkMode { get; init; }

    public ImmutableArray<ServiceDependency> DependsOn { get; init; } = [];

    public ComposeHealthcheck? Healthcheck { get; init; }

    /// <summary><c>restart</c>: no, always, on-failure[:N], unless-stopped.</summary>
    public string? Restart { get; init; }

    public string? ContainerName { get; init; }

    public string? Hostname { get; init; }

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    /// <summary>Namespaced kernel parameters set in each container (<c>sysctls:</c>, as <c>docker run --sysctl</c>); the engine refuses one it may not set.</summary>
    public ImmutableSortedDictionary<string, string> Sysctls { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public ImmutableArray<string> Dns { get; init; } = [];

    /// <summary><c>extra_hosts</c> as <c>name:address</c>.</summary>
    public ImmutableArray<string> ExtraHosts { get; init; } = [];

    public ImmutableArray<ServiceVolume> Volumes { get; init; } = [];

    /// <summary><c>scale</c> or <c>deploy.replicas</c> (default 1).</summary>
    public int Scale { get; init; } = 1;

    public TimeSpan? StopGracePeriod { get; init; }

    public ImmutableArray<string> Profiles { get; init; } = [];

    /// <summary><c>deploy:</c> as written; null when absent. Compose reads only its replicas and restart policy (above).</summary>
    public ComposeDeploy? Deploy { get; init; }

    /// <summary><c>secrets:</c> (read for stacks only).</summary>
    public ImmutableArray<ServiceFileReference> Secrets { get; init; } = [];

    /// <summary><c>configs:</c> (read for stacks only).</summary>
    public ImmutableArray<ServiceFileReference> Configs { get; init; } = [];
}
