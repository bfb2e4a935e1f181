using Berth.Runtime.Images;

namespace Berth.Runtime.Build;

/// <summary>
/// What a build step changes in the image config (the Dockerfile's metadata instructions), applied over the parent's
/// by <see cref="ApplyTo"/>: unset (null) fields keep the parent's; <c>ENV</c> replaces by key, <c>LABEL</c> by name,
/// <c>EXPOSE</c> and <c>VOLUME</c> add, <c>ONBUILD</c> appends; the rest replace. Whether an <c>ENTRYPOINT</c> resets
/// <c>CMD</c> depends on the stage (moby: unless CMD was set in it), so the engine says it with <see cref="ClearCmd"/>.
/// </summary>
public sealed record BuildConfigChanges
{
    /// <summary><c>KEY=value</c> entries.</summary>
    public IReadOnlyList<string>? Env { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>Drops the parent's <c>Cmd</c> (before <see cref="Cmd"/>, when both are given).</summary>
    public bool ClearCmd { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary><c>EXPOSE</c>'s words as Docker reads them (<see cref="ExposeSpec"/>): <c>PORT[-END][/PROTO]</c>, tcp by default.</summary>
    public IReadOnlyList<string>? ExposedPorts { get; init; }

    public IReadOnlyList<string>? Volumes { get; init; }

    public HealthConfig? Healthcheck { get; init; }

    public string? StopSignal { get; init; }

    public IReadOnlyList<string>? Shell { get; init; }

    /// <summary><c>ONBUILD</c> triggers, the instruction's text (<c>RUN make</c>).</summary>
    public IReadOnlyList<string>? OnBuild { get; init; }

    /// <summary>Drops the parent's <c>ONBUILD</c> triggers: a build ran them, its image does not carry them on (moby clears them after FROM).</summary>
    public bool ClearOnBuild { get; init; }

    public static BuildConfigChanges None { get; } = new();

    /// <summary>The parent's config (null: an empty one) with these changes.</summary>
    public ContainerConfig ApplyTo(ContainerConfig? parent)
    {
        var config = parent ?? new ContainerConfig();
        var env = Env is null ? config.Env : ImportChanges.MergeEnv(config.Env, [.. Env.Select(Pair)]);
        var labels = Labels is null ? config.Labels : Merge(config.Labels, Labels.Select(l => (l.Key, l.Value)));
        var ports = ExposedPorts is null ? config.ExposedPorts : Merge(config.ExposedPorts, ExposedPorts.SelectMany(ExposeSpec.Parse).Select(p => (p, EmptyObject.Instance)));
        var volumes = Volumes is null ? config.Volumes : Merge(config.Volumes, Volumes.Select(v => (v, EmptyObject.Instance)));
        return config with
        {
            Env = env,
            Cmd = Cmd ?? (ClearCmd ? null : config.Cmd),
            Entrypoint = Entrypoint ?? config.Entrypoint,
            WorkingDir = WorkingDir ?? config.WorkingDir,
            User = User ?? config.User,
            Labels = labels,
            ExposedPorts = ports,
            Volumes = volumes,
            Healthcheck = Healthcheck ?? config.Healthcheck,
            StopSignal = StopSignal ?? config.StopSignal,
            Shell = Shell ?? config.Shell,
            OnBuild = OnBuild is null ? (ClearOnBuild ? null : config.OnBuild) : [.. (ClearOnBuild ? null : config.OnBuild) ?? [], .. OnBuild],
        };
    }

    private static (string Key, string Value) Pair(string entry)
    {
        int equals = entry.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (entry, "") : (entry[..equals], entry[(equals + 1)..]);
    }

    private static Dictionary<string, T> Merge<T>(IReadOnlyDictionary<string, T>? parent, IEnumerable<(string Key, T Value)> changes)
    {
        var merged = new Dictionary<string, T>(parent ?? new Dictionary<string, T>(), StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            merged[key] = value;
        }

        return merged;
    }
}
