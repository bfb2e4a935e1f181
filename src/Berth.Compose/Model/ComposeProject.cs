using System.Collections.Immutable;

namespace Berth.Compose.Model;

/// <summary>
/// A compose project after loading: files merged, variables interpolated, profiles applied, everything validated.
/// What <c>berth compose config</c> prints and what the engine acts on.
/// </summary>
public sealed record ComposeProject
{
    /// <summary>The project name (<c>-p</c>, <c>COMPOSE_PROJECT_NAME</c>, top-level <c>name:</c>, or the directory's name), normalized as Docker does.</summary>
    public required string Name { get; init; }

    /// <summary>The directory relative paths (bind mounts, env_file) are resolved against: the first file's.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The files, in the order given (later ones override earlier ones).</summary>
    public ImmutableArray<string> ConfigFiles { get; init; } = [];

    /// <summary>Active services by name (services of inactive profiles are left out).</summary>
    public ImmutableSortedDictionary<string, ComposeService> Services { get; init; } = ImmutableSortedDictionary<string, ComposeService>.Empty;

    /// <summary>Networks by their key in the file; always holds <c>default</c> when a service uses it.</summary>
    public ImmutableSortedDictionary<string, ComposeNetwork> Networks { get; init; } = ImmutableSortedDictionary<string, ComposeNetwork>.Empty;

    /// <summary>Named volumes by their key in the file.</summary>
    public ImmutableSortedDictionary<string, ComposeVolume> Volumes { get; init; } = ImmutableSortedDictionary<string, ComposeVolume>.Empty;

    /// <summary>Top-level <c>secrets:</c> by key (read for stacks only).</summary>
    public ImmutableSortedDictionary<string, ComposeFileObject> Secrets { get; init; } = ImmutableSortedDictionary<string, ComposeFileObject>.Empty;

    /// <summary>Top-level <c>configs:</c> by key (read for stacks only).</summary>
    public ImmutableSortedDictionary<string, ComposeFileObject> Configs { get; init; } = ImmutableSortedDictionary<string, ComposeFileObject>.Empty;

    /// <summary>
    /// Loaded as a stack: the service keys a swarm has no use for that the files set (<c>build</c>, <c>restart</c>, …),
    /// sorted, which docker's CLI ignores saying "Ignoring unsupported options".
    /// </summary>
    public ImmutableArray<string> UnsupportedStackOptions { get; init; } = [];

    /// <summary>Loaded as a stack: the deprecated service keys the files set (<c>container_name</c>, <c>expose</c>) with docker's reason.</summary>
    public ImmutableSortedDictionary<string, string> DeprecatedStackOptions { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
}
