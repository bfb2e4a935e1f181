using System.Collections.Immutable;

namespace Berth.Cluster.Services;

/// <summary>Docker's <c>ContainerSpec</c>: the container each task runs.</summary>
public sealed record ContainerTaskSpec
{
    public required string Image { get; init; }

    public ImmutableSortedDictionary<string, string> Labels { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Replaces the image's entrypoint; null: the image's.</summary>
    public ImmutableArray<string>? Command { get; init; }

    /// <summary>Replaces the image's command; null: the image's.</summary>
    public ImmutableArray<string>? Args { get; init; }

    public string? Hostname { get; init; }

    public ImmutableArray<string> Env { get; init; } = [];

    public string? Dir { get; init; }

    public string? User { get; init; }

    public ImmutableArray<string> Groups { get; init; } = [];

    public bool Tty { get; init; }

    public bool OpenStdin { get; init; }

    public bool ReadOnly { get; init; }

    public ImmutableArray<ServiceMount> Mounts { get; init; } = [];

    public string? StopSignal { get; init; }

    /// <summary>Null: 10 s.</summary>
    public TimeSpan? StopGracePeriod { get; init; }

    public TaskHealthcheck? Healthcheck { get; init; }

    /// <summary><c>--host name:ip</c>, as Docker stores them (<c>"ip name"</c>).</summary>
    public ImmutableArray<string> Hosts { get; init; } = [];

    public ImmutableArray<string> DnsNameservers { get; init; } = [];

    public ImmutableArray<string> DnsSearch { get; init; } = [];

    public ImmutableArray<string> DnsOptions { get; init; } = [];

    public bool? Init { get; init; }

    public ImmutableArray<string> CapabilityAdd { get; init; } = [];

    public ImmutableArray<string> CapabilityDrop { get; init; } = [];

    public ImmutableSortedDictionary<string, string> Sysctls { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary><c>--secret</c>: files under <c>/run/secrets/</c> (or absolute), their data sealed in the store.</summary>
    public ImmutableArray<TaskFileReference> Secrets { get; init; } = [];

    /// <summary><c>--config</c>: files at <c>/&lt;target&gt;</c> (or absolute).</summary>
    public ImmutableArray<TaskFileReference> Configs { get; init; } = [];

    /// <summary>
    /// The registry credentials its tasks pull the image with (Docker's <c>PullOptions.RegistryAuth</c>: the client's
    /// <c>X-Registry-Auth</c>, sent with <c>--with-registry-auth</c>), sealed as a secret is (only managers open it, for
    /// the task's own node); null: pulls are anonymous. Never shown by inspect; a change of it alone redeploys nothing.
    /// </summary>
    public string? SealedRegistryAuth { get; init; }
}

/// <summary>One <c>--mount</c> (Docker's <c>mount.Mount</c>): type bind, volume or tmpfs.</summary>
public sealed record ServiceMount(string Type, string Target)
{
    public string? Source { get; init; }

    public bool ReadOnly { get; init; }
}

/// <summary><c>--health-*</c>: Docker's <c>HealthConfig</c>; zero durations and retries inherit the image's.</summary>
public sealed record TaskHealthcheck
{
    /// <summary><c>["NONE"]</c>, <c>["CMD", …]</c> or <c>["CMD-SHELL", "…"]</c>; empty: the image's test.</summary>
    public ImmutableArray<string> Test { get; init; } = [];

    public TimeSpan Interval { get; init; }

    public TimeSpan Timeout { get; init; }

    public TimeSpan StartPeriod { get; init; }

    public TimeSpan StartInterval { get; init; }

    public int Retries { get; init; }
}
